// Placeholder until the engine setup lands: starts nothing.
export default async function globalSetup(): Promise<void> {}
