using System.Text.Json;
using EmpowerBot.Conversation;

namespace EmpowerBot.Channels.BotFramework;

/// <summary>
/// Proactive messages over the Bot Connector: continue a stored conversation, update a sent card, or open a 1:1
/// chat with someone who never wrote to the bot (Teams, by their Entra object id, in the tenant's service URL).
/// </summary>
public sealed class ProactiveChannel(ConnectorClient connector, ActivityRenderer renderer, PeopleDirectory people, Roster roster) : IProactiveChannel
{
    public const string Teams = "msteams";
    private const string ChannelPrefix = "channel:";

    /// <summary>The key under which a Teams channel (not a person) is addressed by notifications.</summary>
    public static string ChannelKey(string conversationId) => ChannelPrefix + conversationId;

    public bool Handles(string channelId) => channelId != "slack";

    public Task<string?> SendAsync(ConversationReference to, Reply reply, CancellationToken ct) =>
        connector.SendToConversationAsync(renderer.ToActivity(reply, to, replyToId: null), ct);

    public async Task UpdateAsync(ConversationReference to, string activityId, Reply reply, CancellationToken ct)
    {
        var activity = renderer.ToActivity(reply, to, replyToId: null);
        activity.Id = activityId;
        try
        {
            await connector.UpdateActivityAsync(activity, activityId, ct);
        }
        catch (ConnectorException e) when (e.StatusCode is 404 or 403)
        {
            throw new MessageGoneException(e.Message, e);
        }
    }

    public async Task<ConversationReference?> OpenAsync(string tenantId, string personKey, CancellationToken ct)
    {
        var channel = personKey.StartsWith(ChannelPrefix, StringComparison.Ordinal);
        if (!channel && !personKey.StartsWith("aad:", StringComparison.Ordinal)) return null;
        // Any conversation in the tenant tells where its Bot Connector lives and who the bot is there.
        var known = await people.AnyReferenceAsync(tenantId, Teams, ct);
        if (known is null) return null;
        if (channel)
        {
            // A channel needs no new conversation: the bot posts into it.
            return new ConversationReference(Teams, known.ServiceUrl, personKey[ChannelPrefix.Length..], "channel", tenantId, "", null, null, known.BotId, known.BotName);
        }
        var aadObjectId = personKey["aad:".Length..];
        var teamsUserId = roster.FindMember(tenantId, personKey)?.TeamsUserId is { Length: > 0 } id ? id : aadObjectId;
        var member = new ChannelAccount { Id = teamsUserId, AadObjectId = aadObjectId };
        var parameters = new ConversationParameters(
            false,
            new ChannelAccount { Id = known.BotId, Name = known.BotName },
            [member],
            tenantId,
            JsonSerializer.SerializeToElement(new { tenant = new { id = tenantId } }));
        string conversationId;
        try
        {
            conversationId = await connector.CreateConversationAsync(known.ServiceUrl, parameters, ct);
        }
        catch (ConnectorException e) when (e.StatusCode is 403 or 404)
        {
            throw new PersonUnreachableException($"Teams would not open a chat with them ({e.Message}); the app is probably not installed for them", e);
        }
        return new ConversationReference(Teams, known.ServiceUrl, conversationId, "personal", tenantId, teamsUserId, null, aadObjectId,
            known.BotId, known.BotName);
    }
}
