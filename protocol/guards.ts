/** The one plain-object check every parser of outside input starts from (arrays and null are not objects here). */
export const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
