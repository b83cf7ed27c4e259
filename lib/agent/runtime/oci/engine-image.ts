import { z } from 'zod';
import type { ImageDefaults } from '../command-line';
import { EngineCommandError, type EngineCli } from './engine-cli';

/**
 * Thrown by `start` when the container's image is not on the node and cannot be pulled. `reason`
 * is what the kubelet puts in the container's waiting state: `ErrImagePull` for the failed pull
 * (the agent shows `ImagePullBackOff` while it waits to try again), `InvalidImageName` for a pod
 * that names no image.
 */
export class ImagePullError extends Error {
  constructor(
    readonly image: string,
    readonly reason: 'ErrImagePull' | 'InvalidImageName',
    detail: string,
  ) {
    super(`image "${image}": ${detail}`);
    this.name = 'ImagePullError';
  }
}

const ImageConfig = z.object({
  Entrypoint: z.array(z.string()).nullish(),
  Cmd: z.array(z.string()).nullish(),
});

/** An image on the node: its reference and its ENTRYPOINT and CMD. */
export interface PresentImage {
  image: string;
  defaults: ImageDefaults;
}

/**
 * Makes sure the image is on the node, pulling it only when absent (the kubelet's default
 * `IfNotPresent` for tagged images), and answers its ENTRYPOINT and CMD, which Kubernetes' rules
 * for `command` and `args` need.
 */
export async function ensureImage(engine: EngineCli, image: string | undefined): Promise<PresentImage> {
  if (!image) throw new ImagePullError('', 'InvalidImageName', 'the container runtime needs an image');
  const present = await imageDefaults(engine, image).catch(ignoreEngineError);
  if (present) return { image, defaults: present };
  try {
    await engine.run(['pull', image]);
  } catch (error) {
    if (!(error instanceof EngineCommandError)) throw error;
    throw new ImagePullError(image, 'ErrImagePull', lastLine(error.stderr) ?? error.message);
  }
  return { image, defaults: await imageDefaults(engine, image) };
}

async function imageDefaults(engine: EngineCli, image: string): Promise<ImageDefaults> {
  const text = await engine.run(['image', 'inspect', '--format', '{{json .Config}}', image]);
  const config = ImageConfig.parse(JSON.parse(text));
  return { entrypoint: config.Entrypoint ?? undefined, cmd: config.Cmd ?? undefined };
}

/** An engine command that failed answers undefined; anything else (no such CLI) is thrown. */
function ignoreEngineError(error: unknown): undefined {
  if (error instanceof EngineCommandError) return undefined;
  throw error;
}

/** Engines retry and log warnings before their final error: the last line says why. */
function lastLine(text: string): string | undefined {
  return text.trim().split('\n').at(-1)?.trim() || undefined;
}
