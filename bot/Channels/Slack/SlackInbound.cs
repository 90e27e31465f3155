using System.Text.Json;

namespace EmpowerBot.Channels.Slack;

public enum SlackInboundKind
{
    /// <summary>A direct message to the bot (message.im), a mention (app_mention) or a slash command.</summary>
    Message,

    /// <summary>A button in a message or the App Home (block_actions).</summary>
    Action,

    /// <summary>A modal was submitted (view_submission).</summary>
    Submission,

    /// <summary>The person opened the bot's App Home, on its Home or Messages tab (app_home_opened).</summary>
    HomeOpened,

    /// <summary>Someone joined a channel the bot is in (member_joined_channel).</summary>
    MemberJoined,

    /// <summary>Someone left a channel the bot is in (member_left_channel).</summary>
    MemberLeft,
}

/// <summary>
/// An acknowledged Slack request, reduced to what the background worker needs to run it as a turn. Built from
/// the signed payload only; nothing in it has been looked up yet.
/// </summary>
/// <param name="ActivityId">The event id (events) or trigger id (commands, interactions): the turn's idempotency key.</param>
/// <param name="Channel">Where it happened: a DM, a channel, or null for the App Home.</param>
/// <param name="InDirectMessage">True when <paramref name="Channel"/> is the person's direct conversation with the bot.</param>
/// <param name="MessageTs">The message whose button was clicked, to update it in place.</param>
/// <param name="FromHome">The button was in the App Home, which is republished instead of updated.</param>
/// <param name="BlockId">The block of the clicked button: inputs are read from the same card.</param>
/// <param name="ReplayDue">When its journal entry replays it if no worker finished it by then (see <see cref="SlackJournal"/>).</param>
public sealed record SlackInbound(
    SlackInboundKind Kind,
    string TenantId,
    string TeamId,
    string UserId,
    string? UserName,
    string ActivityId,
    string? Channel = null,
    bool InDirectMessage = false,
    string? Text = null,
    string? Verb = null,
    JsonElement? Data = null,
    string? MessageTs = null,
    bool FromHome = false,
    string? TriggerId = null,
    string? BotUserId = null,
    string? Tab = null,
    DateTimeOffset? ReplayDue = null,
    string? ResponseUrl = null)
{
    /// <summary>"slack:{team id}:{user id}", the person key in the roster and every table.</summary>
    public string PersonKey => SlackIds.PersonKey(TeamId, UserId);
}

/// <summary>Slack's ids in our keys.</summary>
public static class SlackIds
{
    public const string ChannelId = "slack";
    public const string Prefix = "slack:";

    public static string PersonKey(string teamId, string userId) => $"{Prefix}{teamId}:{userId}";

    /// <summary>Reads "slack:{team}:{user}"; false for any other key.</summary>
    public static bool TryParse(string personKey, out string teamId, out string userId)
    {
        teamId = userId = "";
        if (!personKey.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)) return false;
        var parts = personKey[Prefix.Length..].Split(':');
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0) return false;
        (teamId, userId) = (parts[0], parts[1]);
        return true;
    }

    /// <summary>The tenant: the Enterprise Grid organisation when there is one, else the workspace.</summary>
    public static string Tenant(string? enterpriseId, string teamId) => string.IsNullOrEmpty(enterpriseId) ? teamId : enterpriseId;
}
