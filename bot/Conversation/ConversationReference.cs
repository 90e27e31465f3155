namespace EmpowerBot.Conversation;

/// <summary>
/// Everything needed to message a person later without them writing first (proactive messages):
/// where their channel lives, which conversation, who they are and who the bot is there.
/// </summary>
public sealed record ConversationReference(
    string ChannelId,
    string ServiceUrl,
    string ConversationId,
    string? ConversationType,
    string? TenantId,
    string UserId,
    string? UserName,
    string? AadObjectId,
    string BotId,
    string? BotName);
