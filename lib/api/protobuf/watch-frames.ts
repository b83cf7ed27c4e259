import type { BodyChunk } from '../http';
import { encodeObject } from './envelope';
import { messageNamed } from './kube-schema';

const WatchEvent = messageNamed('k8s.io.apimachinery.pkg.apis.meta.v1.WatchEvent');

/**
 * One event of a protobuf watch, framed as kube-apiserver frames them: a 4-byte big-endian length,
 * then a meta/v1 WatchEvent message written bare (the stream serializer adds no envelope) whose
 * object is the event's object in its own envelope (envelope.ts).
 */
export function watchFrame(type: string, object: Record<string, unknown>): Uint8Array {
  const raw = encodeObject(object);
  if (!raw) throw new Error(`${String(object.kind)} has no protobuf message`);
  const event = WatchEvent.encode({ type, object: { raw } }).finish();
  const frame = new Uint8Array(4 + event.length);
  new DataView(frame.buffer).setUint32(0, event.length);
  frame.set(event, 4);
  return frame;
}

/**
 * Frames of recent event lines: every protobuf watcher of a kind sees the same lines, so each is
 * framed once. Bounded by size (the lines and their frames), oldest out first.
 */
const recentFrames = new Map<string, Uint8Array>();
const RECENT_FRAME_BYTES = 8 * 1024 * 1024;
let recentBytes = 0;

function frameOfLine(line: string): Uint8Array {
  const cached = recentFrames.get(line);
  if (cached) return cached;
  const event = JSON.parse(line) as { type: string; object: Record<string, unknown> };
  const frame = watchFrame(event.type, event.object);
  recentFrames.set(line, frame);
  recentBytes += line.length + frame.length;
  for (const [oldest, oldFrame] of recentFrames) {
    if (recentBytes <= RECENT_FRAME_BYTES) break;
    recentFrames.delete(oldest);
    recentBytes -= oldest.length + oldFrame.length;
  }
  return frame;
}

/**
 * A JSON watch stream (newline-delimited `{"type":…,"object":…}` events, as watch-objects.ts
 * writes them) turned into protobuf frames, chunk for chunk; a line framed lately for another
 * watcher is not framed again. Ending or abandoning the returned stream ends the JSON one
 * (for-await closes it), so the watch stops as it would in JSON.
 */
export async function* protobufWatch(json: AsyncIterable<BodyChunk>): AsyncGenerator<BodyChunk> {
  const text = new TextDecoder();
  for await (const chunk of json) {
    const lines = (typeof chunk === 'string' ? chunk : text.decode(chunk)).split('\n');
    const frames = lines.filter((line) => line !== '').map(frameOfLine);
    if (frames.length > 0) yield Buffer.concat(frames);
  }
}
