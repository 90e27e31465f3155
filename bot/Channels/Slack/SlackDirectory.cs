using System.Collections.Concurrent;
using EmpowerBot.Conversation;
using EmpowerBot.Hosting;
using Microsoft.Extensions.Options;

namespace EmpowerBot.Channels.Slack;

/// <summary>
/// Who someone is in Slack and where to reach them: their name and e-mail (users.info, cached, so a roster entry
/// naming only an e-mail finds them), their direct conversation with the bot (the stored conversation reference,
/// else conversations.open), and the bot's own user id.
/// </summary>
public sealed class SlackDirectory(SlackApiClient api, PeopleDirectory people, IOptions<SlackOptions> options, TimeProvider clock,
    [FromKeyedServices(Clocks.Wall)] TimeProvider wall, ILogger<SlackDirectory> log)
{
    private static readonly TimeSpan FailureKept = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, (SlackUser? User, DateTimeOffset Until)> profiles = new(StringComparer.Ordinal);
    private string? botUserId;

    /// <summary>The user's name and e-mail; null when Slack would not say (a missing scope, a deleted user, an outage).</summary>
    public async Task<SlackUser?> ProfileAsync(string userId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (profiles.TryGetValue(userId, out var cached) && cached.Until > now) return cached.User;
        try
        {
            var user = await api.GetUserAsync(userId, ct);
            profiles[userId] = (user, now + options.Value.ProfileCacheDuration);
            return user;
        }
        catch (Exception e) when (OutboundFailure.Is(e))
        {
            log.LogWarning("users.info for {User} failed ({Reason}); going on without their name and e-mail", userId, e.Message);
            profiles[userId] = (null, now + FailureKept);
            return null;
        }
    }

    /// <summary>
    /// The profile if Slack gives it within <paramref name="patience"/> (real time), else null; the lookup goes on and
    /// fills the cache for the next request. For requests whose trigger id lives three seconds.
    /// </summary>
    public async Task<SlackUser?> ProfileWithinAsync(string userId, TimeSpan patience, CancellationToken ct)
    {
        var lookup = ProfileAsync(userId, ct);
        try
        {
            return await lookup.WaitAsync(patience, wall, ct);
        }
        catch (TimeoutException)
        {
            log.LogInformation("users.info for {User} is slow; going on without their name and e-mail for now", userId);
            return null;
        }
    }

    /// <summary>The bot's user id: learnt from events, else asked once (auth.test).</summary>
    public async Task<string> BotUserIdAsync(string? fromEvent, CancellationToken ct)
    {
        if (fromEvent is { Length: > 0 }) return botUserId = fromEvent;
        return botUserId ??= await api.BotUserIdAsync(ct);
    }

    /// <summary>The conversation reference of a person's direct conversation with the bot, opening it when needed.</summary>
    public async Task<ConversationReference> DirectConversationAsync(string tenantId, string personKey, string userId, string? knownChannel,
        string? userName, string? botFromEvent, CancellationToken ct)
    {
        var stored = await people.FindReferenceAsync(tenantId, personKey, ct);
        var channel = knownChannel
            ?? (stored is { ChannelId: SlackIds.ChannelId } ? stored.ConversationId : null)
            ?? await api.OpenConversationAsync(userId, ct);
        var bot = stored is { ChannelId: SlackIds.ChannelId } && botFromEvent is null && stored.BotId.Length > 0 ? stored.BotId : await BotUserIdAsync(botFromEvent, ct);
        return Reference(tenantId, channel, userId, userName, bot, options.Value);
    }

    public static ConversationReference Reference(string tenantId, string channel, string userId, string? userName, string botUserId, SlackOptions o) =>
        new(SlackIds.ChannelId, o.ApiBase.ToString(), channel, "im", tenantId, userId, userName, null, botUserId, "EmpowerBot");
}
