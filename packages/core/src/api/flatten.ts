/**
 * Nested parameters as the form and query encodings carry them: `Filters.0.Name=zone`, `Placement.Zone=...`.
 */
export function flattenParams(
  params: Record<string, unknown>,
  prefix = '',
  out: Record<string, string> = {},
): Record<string, string> {
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    const name = prefix ? `${prefix}.${key}` : key;
    if (Array.isArray(value)) {
      value.forEach((item, index) => {
        if (item !== null && typeof item === 'object')
          flattenParams(item as Record<string, unknown>, `${name}.${index}`, out);
        else if (item !== undefined && item !== null) out[`${name}.${index}`] = String(item);
      });
    } else if (typeof value === 'object') {
      flattenParams(value as Record<string, unknown>, name, out);
    } else {
      out[name] = String(value);
    }
  }
  return out;
}
