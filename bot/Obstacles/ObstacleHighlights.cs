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
public sealed class ObstacleHighlights(ObstacleCorpus corpus, ObstacleVotes votes, Roster roster, IOptions<ObstacleOptions> options) : ITeamHighlights, IOrgHighlights
{
    private const int ShownToExecutive = 5;

    /// <summary>
    /// For the executive, from one read of the open obstacles: the open ones across every team, most backed first and
    /// then the oldest, each with its age and how many teams its backers are in; and, as nothing gets filtered on the way
    /// up, every one open longer than Obstacles:EscalateAfter or backed in more than one team, oldest first, with its
    /// status history and who owns it (whoever last moved it on). A manager cannot keep one off that list; they can only
    /// fix it or say why not. Counts only.
    /// </summary>
    public async Task<OrgHighlights> ForOrgAsync(string tenantId, DateTimeOffset now, CancellationToken ct)
    {
        var open = (await corpus.CurrentAsync(tenantId, ct)).Ranked.Where(o => o.Kind == ObstacleKind.Obstacle).ToList();
        var teamsOf = new Dictionary<int, int>();
        async Task<int> TeamsAsync(Obstacle o) => teamsOf.TryGetValue(o.Id, out var n) ? n : teamsOf[o.Id] = await BackingTeamsAsync(tenantId, o, ct);

        var top = new List<TeamHighlight>();
        foreach (var o in open.OrderByDescending(o => o.Votes).ThenBy(o => o.CreatedAt).Take(ShownToExecutive))
        {
            var teams = await TeamsAsync(o);
            top.Add(new TeamHighlight(o.Status.Label(),
                $"{Short(o)} (#{o.Id}) · open {Days(now - o.CreatedAt)} · {Backers(o)}" + (teams > 1 ? $" in {teams} teams" : "")));
        }
        var escalated = new List<TeamHighlight>();
        foreach (var o in open.OrderBy(o => o.CreatedAt))
        {
            var old = now - o.CreatedAt >= options.Value.EscalateAfter;
            var teams = old ? 0 : await TeamsAsync(o);
            if (!old && teams < 2) continue;
            var why = old ? $"open {Days(now - o.CreatedAt)}" : $"backed in {teams} teams";
            var history = o.History.TakeLast(3).Select(h => $"{h.Status.Label()} by {CardText.Inert(h.By, 60)} on {h.At.ToString("MMM d", System.Globalization.CultureInfo.InvariantCulture)}"
                + (h.Note is { } n ? $": \"{CardText.Inert(n, 80)}\"" : "")).ToList();
            var owner = o.LastChange is { } last ? $"owned by {CardText.Inert(last.By, 60)}" : "nobody has picked it up";
            escalated.Add(new TeamHighlight(history.Count == 0 ? o.Status.Label() : string.Join(" · ", history),
                $"{Short(o)} (#{o.Id}) · {why} · {Backers(o)} · {owner}"));
        }
        return new OrgHighlights(top, escalated);
    }

    private static string Days(TimeSpan age) => Math.Max(0, (int)age.TotalDays) is 1 ? "1 day" : $"{Math.Max(0, (int)age.TotalDays)} days";

    /// <summary>
    /// How many teams its backers were in as they backed it, kept on the row; for a row older than that, read from its
    /// votes and the roster now.
    /// </summary>
    private async Task<int> BackingTeamsAsync(string tenantId, Obstacle o, CancellationToken ct) =>
        (o.BackingTeams ?? (await votes.BackersAsync(tenantId, o.Id, ct)).Select(k => roster.Resolve(tenantId, k, null).Team?.Id).OfType<string>().ToList())
            .Append(o.TeamId).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).Count();

    private const int Shown = 3;

    public async Task<IReadOnlyList<TeamHighlight>> ForTeamAsync(string tenantId, Team team, Period period, CancellationToken ct)
    {
        var board = await corpus.CurrentAsync(tenantId, ct);
        var fixedNow = board.FixedIn(period).Take(Shown)
            .Select(o => new TeamHighlight("Obstacles", $"Fixed: {Short(o)} (#{o.Id}, {Backers(o)})", GoodNews: true));
        var open = board.Ranked.Take(Shown)
            .Select(o => new TeamHighlight("Obstacles", $"Open: {Short(o)} (#{o.Id}, {Backers(o)}, {o.Status.Label().ToLowerInvariant()})"));
        return fixedNow.Concat(open).ToList();
    }

    private static string Short(Obstacle o) => CardText.Inert(o.Text, 90);

    private static string Backers(Obstacle o) => (o.Votes == 1 ? "1 backer" : $"{o.Votes} backers")
        + (o.CustomerEvidence > 0 ? $", {ObstacleCards.Count(o.CustomerEvidence, "customer")} said the same" : "");
}
