// placeholder, replaced below
export type LabelSelector = unknown;
