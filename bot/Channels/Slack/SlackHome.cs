using EmpowerBot.Hosting;
using System.Collections.Concurrent;
using EmpowerBot.Conversation;

namespace EmpowerBot.Channels.Slack;

/// <summary>View model of cards/slack/home.json, the frame of the App Home.</summary>
public sealed record HomeCard(string FirstName);

/// <summary>
/// The App Home tab: the person's budget, their requests waiting for a manager and a manager's pending decisions
/// (<see cref="HomeView"/>), published with views.publish when they open it and again whenever something of theirs
/// changed while they are known to look at it: after each of their turns, and after a message reached them (a
/// decision, an approval request).
/// </summary>
public sealed class SlackHome(HomeView view, BlockKitRenderer renderer, SlackApiClient api, ILogger<SlackHome> log)
{
    // Who opened their App Home since this instance started, with the turn to rebuild it from. Lost on restart,
    // which costs nothing: opening the tab again publishes it.
    private readonly ConcurrentDictionary<(string Tenant, string User), Turn> viewers = new();

    /// <summary>app_home_opened on the Home tab.</summary>
    public Task ShowAsync(Turn turn, CancellationToken ct)
    {
        viewers[(turn.TenantId, turn.Conversation.UserId)] = turn;
        return PublishAsync(turn, ct);
    }

    /// <summary>After a turn: republished when the person has opened their App Home (or clicked in it).</summary>
    public Task RefreshAsync(Turn turn, bool force, CancellationToken ct)
    {
        if (!force && !viewers.ContainsKey((turn.TenantId, turn.Conversation.UserId))) return Task.CompletedTask;
        viewers[(turn.TenantId, turn.Conversation.UserId)] = turn;
        return PublishAsync(turn, ct);
    }

    /// <summary>After a proactive message to someone: republished when they have opened their App Home.</summary>
    public Task RefreshAsync(string tenantId, string userId, CancellationToken ct) =>
        viewers.TryGetValue((tenantId, userId), out var turn) ? PublishAsync(turn, ct) : Task.CompletedTask;

    private async Task PublishAsync(Turn turn, CancellationToken ct)
    {
        try
        {
            // Read-only commands: a fresh activity id each time, never a ledger key.
            var replies = await view.ForAsync(turn with { ActivityId = "home:" + Guid.NewGuid().ToString("N") }, ct);
            await api.PublishViewAsync(turn.Conversation.UserId, renderer.Home(new HomeCard(turn.FirstName), replies), ct);
        }
        catch (Exception e) when (OutboundFailure.Is(e))
        {
            log.LogWarning("Could not publish the App Home of {Person}: {Reason}", turn.PersonKey, e.Message);
        }
    }
}
