using EmpowerBot.Budget;
using EmpowerBot.Conversation;
using EmpowerBot.Conversation.Cards;
using EmpowerBot.Insights;
using Microsoft.Extensions.Options;

namespace EmpowerBot.Obstacles;

/// <summary>
/// What the team view and the digest say about obstacles: the good news first (fixed this month), then the top
/// open ones people are behind. Counts only; never who raised or backed them.
/// </summary>
public sealed class ObstacleHighlights(ObstacleBoard board, ObstacleVotes votes, Roster roster, IOptions<ObstacleOptions> options) : ITeamHighlights, IOrgHighlights
{
    /// <summary>
    /// Nothing gets filtered on the way up: every open obstacle older than Obstacles:EscalateAfter, or backed by people
    /// in more than one team, with its status history and who owns it (whoever last moved it on), oldest first. A manager
    /// cannot keep one off this list; they can only fix it or say why not.
    /// </summary>
    public async Task<IReadOnlyList<TeamHighlight>> EscalatedAsync(string tenantId, DateTimeOffset now, CancellationToken ct)
    {
        var lines = new List<TeamHighlight>();
        foreach (var o in (await board.OpenAsync(tenantId, ct)).Where(o => o.Kind == ObstacleKind.Obstacle).OrderBy(o => o.CreatedAt))
        {
            var old = now - o.CreatedAt >= options.Value.EscalateAfter;
            var teams = old ? 0 : await BackingTeamsAsync(tenantId, o, ct);
            if (!old && teams < 2) continue;
            var days = Math.Max(0, (int)(now - o.CreatedAt).TotalDays);
            var why = old ? $"open {days} days" : $"backed in {teams} teams";
            var history = o.History.TakeLast(3).Select(h => $"{h.Status.Label()} by {CardText.Inert(h.By, 60)} on {h.At.ToString("MMM d", System.Globalization.CultureInfo.InvariantCulture)}"
                + (h.Note is { } n ? $": \"{CardText.Inert(n, 80)}\"" : "")).ToList();
            var owner = o.LastChange is { } last ? $"owned by {CardText.Inert(last.By, 60)}" : "nobody has picked it up";
            lines.Add(new TeamHighlight(history.Count == 0 ? o.Status.Label() : string.Join(" · ", history),
                $"{Short(o)} (#{o.Id}) · {why} · {Backers(o)} · {owner}"));
        }
        return lines;
    }

    private async Task<int> BackingTeamsAsync(string tenantId, Obstacle o, CancellationToken ct) =>
        (await votes.BackersAsync(tenantId, o.Id, ct)).Select(k => roster.Resolve(tenantId, k, null).Team?.Id)
            .Append(o.TeamId).Where(t => t is not null).Distinct(StringComparer.OrdinalIgnoreCase).Count();

    private const int ShownToExecutive = 5;

    /// <summary>
    /// For the executive: the open obstacles across every team, most backed first and then the oldest, each with its
    /// age and how many teams its backers are in, so what no single team can fix is seen at the top. Counts only.
    /// </summary>
    public async Task<IReadOnlyList<TeamHighlight>> ForOrgAsync(string tenantId, DateTimeOffset now, CancellationToken ct)
    {
        var open = (await board.OpenAsync(tenantId, ct)).Where(o => o.Kind == ObstacleKind.Obstacle)
            .OrderByDescending(o => o.Votes).ThenBy(o => o.CreatedAt).Take(ShownToExecutive).ToList();
        var lines = new List<TeamHighlight>();
        foreach (var o in open)
        {
            var teams = await BackingTeamsAsync(tenantId, o, ct);
            var days = Math.Max(0, (int)(now - o.CreatedAt).TotalDays);
            lines.Add(new TeamHighlight(o.Status.Label(),
                $"{Short(o)} (#{o.Id}) · open {(days == 1 ? "1 day" : $"{days} days")} · {Backers(o)}" + (teams > 1 ? $" in {teams} teams" : "")));
        }
        return lines;
    }

    private const int Shown = 3;

    public async Task<IReadOnlyList<TeamHighlight>> ForTeamAsync(string tenantId, Team team, Period period, CancellationToken ct)
    {
        var all = await board.AllAsync(tenantId, ct);
        var fixedNow = all.Where(o => o.Status == ObstacleStatus.Fixed && o.LastChange is { } c && period.Contains(c.At))
            .OrderByDescending(o => o.Votes).Take(Shown)
            .Select(o => new TeamHighlight("Obstacles", $"Fixed: {Short(o)} (#{o.Id}, {Backers(o)})", GoodNews: true));
        var open = all.Where(o => !o.IsClosed).OrderByDescending(o => o.Votes).ThenByDescending(o => o.Id).Take(Shown)
            .Select(o => new TeamHighlight("Obstacles", $"Open: {Short(o)} (#{o.Id}, {Backers(o)}, {o.Status.Label().ToLowerInvariant()})"));
        return fixedNow.Concat(open).ToList();
    }

    private static string Short(Obstacle o) => CardText.Inert(o.Text, 90);

    private static string Backers(Obstacle o) => (o.Votes == 1 ? "1 backer" : $"{o.Votes} backers")
        + (o.CustomerEvidence > 0 ? $", {ObstacleCards.Count(o.CustomerEvidence, "customer")} said the same" : "");
}
