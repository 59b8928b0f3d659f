// Docker's build and import endpoints answer with a stream of JSON lines and report failure as one
// of those lines ({"error": …}), not as an HTTP status. Reading them is the only way to notice a
// failed build (testcontainers' own build helper drops them).

import { createInterface } from 'node:readline';

interface DockerStreamMessage {
  stream?: string;
  status?: string;
  progress?: string;
  id?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: { ID?: string };
}

export interface DockerStreamOutcome {
  /** The first error line's message, if any. */
  error: string | null;
  /** Image id announced by an `aux` message (builds) or the import status. */
  imageId: string | null;
}

const TAIL_LINES = 25;

/** Reads a JSON-lines stream to its end; `onLine` gets each human line (build output, statuses). */
export async function readDockerStream(
  stream: NodeJS.ReadableStream,
  onLine: (line: string) => void,
): Promise<DockerStreamOutcome & { tail: string }> {
  const tail: string[] = [];
  const remember = (line: string) => {
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
    onLine(line);
  };
  let error: string | null = null;
  let imageId: string | null = null;
  const lines = createInterface({ input: stream as NodeJS.ReadableStream & AsyncIterable<string>, crlfDelay: Infinity });
  for await (const raw of lines) {
    const text = raw.trim();
    if (!text) continue;
    let message: DockerStreamMessage;
    try {
      message = JSON.parse(text) as DockerStreamMessage;
    } catch {
      remember(text);
      continue;
    }
    if (message.error || message.errorDetail?.message) {
      error ??= (message.error ?? message.errorDetail?.message ?? 'unknown error').trim();
      remember(`ERROR: ${error}`);
      continue;
    }
    if (message.aux?.ID) imageId = message.aux.ID;
    if (message.stream) {
      for (const line of message.stream.split('\n')) if (line.trim()) remember(line.trimEnd());
    } else if (message.status) {
      // Import answers with the new image id as its status.
      if (/^sha256:[0-9a-f]{64}$/.test(message.status.trim())) imageId = message.status.trim();
      if (!message.progress) remember([message.id, message.status].filter(Boolean).join(': '));
    }
  }
  return { error, imageId, tail: tail.join('\n') };
}
