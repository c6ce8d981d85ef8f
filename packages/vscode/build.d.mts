export function buildVscode(options?: { tests?: boolean }): Promise<void>;
