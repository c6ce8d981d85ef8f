export function buildCli(options?: { dist?: string }): Promise<void>;
