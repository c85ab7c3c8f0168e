import type { AssistPort, FrameCutAnswer, FrameCutRequest, ScissorsAnswer, ScissorsRequest } from "../../src/editor/tools/frameCut";
import { AssistStatus } from "../../src/editor/tools/frameCut";

interface Pending<Q, A> {
  request: Q;
  resolve(answer: A): void;
  reject(error: unknown): void;
}

/** An assist port whose requests wait until the test answers them (in any order). */
export class FakeAssist implements AssistPort {
  readonly status = new AssistStatus();
  readonly frameCuts: Pending<FrameCutRequest, FrameCutAnswer>[] = [];
  readonly scissorsCalls: Pending<ScissorsRequest, ScissorsAnswer>[] = [];
  changes = 0;

  frameCut(request: FrameCutRequest): Promise<FrameCutAnswer> {
    return new Promise((resolve, reject) => this.frameCuts.push({ request: structuredClone(request), resolve, reject }));
  }

  scissors(request: ScissorsRequest): Promise<ScissorsAnswer> {
    return new Promise((resolve, reject) => this.scissorsCalls.push({ request: structuredClone(request), resolve, reject }));
  }

  changed(): void {
    this.changes++;
  }
}

/** Lets pending promise callbacks run. */
export const flush = () => new Promise<void>((r) => setTimeout(r, 0));

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
