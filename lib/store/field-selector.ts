// placeholder, replaced below
export type FieldSelector = unknown;
