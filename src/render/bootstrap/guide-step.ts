/** One thing to do or check in the walkthrough: a heading, why, and the exact commands. */
export interface GuideStep {
  readonly title: string;
  readonly text: readonly string[];
  /** Shell lines (one block). @default - none */
  readonly commands?: readonly string[];
}
