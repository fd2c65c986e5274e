/** A tool as the model sees it: its name, description and the JSON schema of its parameters. */
export interface ToolSpec {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}
