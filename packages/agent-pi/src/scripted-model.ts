/**
 * Pi's configuration for a scripted OpenAI-style model server (the tests' and benchmarks'
 * stand-in for a real LLM): the two files Pi reads from its agent directory.
 */
import type { BatchWriteEntry } from "@agentos/core";

/** Pi's default agent directory for the VM user: where it reads models.json and settings.json. */
export const PI_AGENT_DIR = "/home/user/.pi/agent";

/** models.json and settings.json that make `scripted-model` at `llmUrl` Pi's default model. */
export function scriptedModelFiles(llmUrl: string, apiKey: string): BatchWriteEntry[] {
  return [
    {
      path: `${PI_AGENT_DIR}/models.json`,
      content: JSON.stringify({
        providers: {
          scripted: {
            baseUrl: `${llmUrl}/v1`,
            api: "openai-completions",
            apiKey,
            models: [{ id: "scripted-model" }],
          },
        },
      }),
    },
    {
      path: `${PI_AGENT_DIR}/settings.json`,
      content: JSON.stringify({ defaultProvider: "scripted", defaultModel: "scripted-model" }),
    },
  ];
}
