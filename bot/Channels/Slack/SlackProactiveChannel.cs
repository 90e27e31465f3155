using EmpowerBot.Conversation;
using Microsoft.Extensions.Options;

namespace EmpowerBot.Channels.Slack;

/// <summary>
/// Proactive messages in Slack (approval requests, outcomes, reminders): a new message in the person's direct
/// conversation with the bot (chat.postMessage), a later update of it (chat.update, e.g. a decided approval), or
/// that conversation opened for someone who never wrote to the bot (conversations.open, by their Slack user id).
/// The message id is Slack's ts.
/// </summary>
public sealed class SlackProactiveChannel(
    SlackApiClient api, BlockKitRenderer renderer, SlackDirectory directory, SlackHome home, IOptions<SlackOptions> options) : IProactiveChannel
{
    public bool Handles(string channelId) => channelId == SlackIds.ChannelId;

    public async Task<string?> SendAsync(ConversationReference to, Reply reply, CancellationToken ct)
    {
        SlackPosted posted;
        try
        {
            posted = await api.PostMessageAsync(to.ConversationId, renderer.Message(reply), ct);
        }
        catch (SlackApiException e) when (e is { IsRateLimited: true, RetryAfter: { } after })
        {
            throw new ComeBackLaterException(after, $"Slack rate-limited {e.Method}; Retry-After {after}", e);
        }
        await home.RefreshAsync(to.TenantId ?? "", to.UserId, ct);
        return posted.Ts;
    }

    public async Task UpdateAsync(ConversationReference to, string activityId, Reply reply, CancellationToken ct)
    {
        try
        {
            await api.UpdateMessageAsync(to.ConversationId, activityId, renderer.Message(reply), ct);
        }
        catch (SlackApiException e) when (e.Error is "message_not_found" or "channel_not_found" or "cant_update_message" or "is_archived")
        {
            throw new MessageGoneException(e.Message, e);
        }
        await home.RefreshAsync(to.TenantId ?? "", to.UserId, ct);
    }

    public async Task<ConversationReference?> OpenAsync(string tenantId, string personKey, CancellationToken ct)
    {
        if (!options.Value.Enabled || !SlackIds.TryParse(personKey, out _, out var userId)) return null;
        string channel;
        try
        {
            channel = await api.OpenConversationAsync(userId, ct);
        }
        catch (SlackApiException e) when (e.Error is "user_not_found" or "users_not_found" or "user_not_visible" or "user_disabled" or "cannot_dm_bot")
        {
            // conversations.open will never succeed for this person: deleted, deactivated or out of the bot's reach.
            throw new PersonUnreachableException($"Slack would not open a direct message with them ({e.Error})", e);
        }
        return SlackDirectory.Reference(tenantId, channel, userId, null, await directory.BotUserIdAsync(null, ct), options.Value);
    }
}
