import type { components } from "./schema";

type S = components["schemas"];
export type Bot = S["BotOut"];
export type BotConfig = S["BotConfig"];
export type Appearance = S["Appearance"];
export type ToolSettings = S["ToolSettings"];
export type HttpAction = S["HttpAction"];
export type Source = S["SourceOut"];
export type SearchHit = S["SearchHit"];
export type Org = S["OrgOut"];
export type OrgBrief = S["OrganizationBrief"];
export type Member = S["MemberOut"];
export type Invitation = S["InvitationOut"];
export type InvitationCreated = S["InvitationCreated"];
export type ApiKey = S["ApiKeyOut"];
export type ApiKeyCreated = S["ApiKeyCreated"];
export type AuditEvent = S["AuditEventOut"];
export type ProviderKey = S["ProviderKeyOut"];
export type LlmProvider = "groq" | "openai-compatible";
export type Me = S["MeResponse"];
export type Role = "owner" | "admin" | "member";
export const ROLES: Role[] = ["owner", "admin", "member"];

export type ChatResponse = S["ChatResponse"] & { tool_calls?: ToolCall[] };
export type ConversationSummary = S["ConversationOut"];
export type MessageOut = S["MessageOut"];
export type Transcript = S["Transcript"];
export type Lead = S["LeadOut"];

/** Citations and tool calls arrive as free-form objects in transcripts: read them with these shapes. */
export type Citation = { index?: number | null; source: string; title?: string | null; location?: string | null; snippet: string; url?: string | null; chunk_id?: number | null };
export type ToolCall = { name: string; call_id?: string; status?: string; result?: unknown; arguments?: unknown; error?: string | null };
export type Retrieved = { chunk_id?: number; text?: string; snippet?: string; title?: string | null; source?: string; location?: string | null; score?: number; relevance?: number; [k: string]: unknown };
export type DriveConnection = S["DriveConnectionOut"];
