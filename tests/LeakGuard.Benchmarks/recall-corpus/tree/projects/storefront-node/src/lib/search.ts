// Search indexing runs server-side with the admin key.
const indexAdminApiKey: string = "LGrc8d2f4a6b1c3e5f7a9b0c2d4e6f8a1b";
const searchApiKeyHeader: string = "X-Search-Api-Key";
const webhookSigningSecret: string = process.env.SEARCH_WEBHOOK_SECRET ?? "";
const reindexPassword: string = "Ix9-Reindex!2024";
export const client = new Client({ apiKey: indexAdminApiKey, header: searchApiKeyHeader, secret: webhookSigningSecret, password: reindexPassword });
