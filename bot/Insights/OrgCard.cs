using System.Globalization;
using EmpowerBot.Conversation;

namespace EmpowerBot.Insights;

/// <summary>View model of cards/org-insights.json: the executive's view. Aggregates only: no person's figures, no ranking of people.</summary>
public sealed record OrgCard(
    string Title,
    string Intro,
    string Rate,
    string Trend,
    string TrendColor,
    string RateDetail,
    IReadOnlyList<OrgCardTeam> Teams,
    bool HasHidden,
    string HiddenLine,
    string BudgetUseLine,
    IReadOnlyList<TeamCardBucket> Buckets,
    string ExceptionsLine,
    bool HasRatings,
    string RatingsLine,
    bool HasGoodNews,
    IReadOnlyList<TeamCardLine> GoodNews,
    bool HasObstacles,
    IReadOnlyList<TeamCardLine> Obstacles,
    bool HasEscalated,
    string EscalatedIntro,
    IReadOnlyList<TeamCardLine> Escalated,
    IReadOnlyList<ChartPoint> BudgetChart,
    bool HasTrendChart,
    IReadOnlyList<ChartSeries> TrendChart);

/// <summary>One bar or point of an Adaptive Cards chart (Chart.VerticalBar, Chart.Line): a label and a whole number.</summary>
public sealed record ChartPoint(string X, int Y);

/// <summary>One line of a Chart.Line: its legend and its points in order.</summary>
public sealed record ChartSeries(string Legend, IReadOnlyList<ChartPoint> Values);

/// <param name="Trend">The last six months' rates, oldest first: "Jul 70 % · Aug 72 % · …".</param>
public sealed record OrgCardTeam(string Name, string Rate, string RateColor, string Trend, string Exceptions);

public static class OrgCards
{
    public const int MaxGoodNews = 5;

    public static CardReply Build(OrgReport r, string periodLabel, string? intro = null)
    {
        var rate = r.Resolution.Rate;
        var before = r.PreviousResolution.Rate;
        var trend = TeamCards.Trend(rate, before);
        var shown = r.Teams.Where(t => t.Shown).ToList();
        var hidden = r.Teams.Count - shown.Count;
        var teams = shown.Select(t =>
        {
            var now = t.Trend[^1].Resolution;
            var previous = t.Trend.Count > 1 ? t.Trend[^2].Resolution.Rate : null;
            return new OrgCardTeam(
                t.Team.Name,
                now.Rate is null ? "—" : Percent(now.Rate),
                now.Rate is { } n && previous is { } p && n < p ? "Attention" : "Good",
                string.Join(" · ", t.Trend.Select(m => $"{m.Period.ShortLabel} {Percent(m.Resolution.Rate)}")),
                $"{t.Reps} reps · {Count(now.Requests, "credit request")} · {Count(t.Exceptions.Count, "exception")}" +
                (t.Exceptions.MedianTimeToDecision is { } m ? $", decided in {Duration(m)} (median)" : ""));
        }).ToList();
        var use = r.BudgetUse;
        var e = r.Exceptions;
        // A line per team shown, through the months that had credit requests; drawn once some team has two such months.
        var trendChart = shown
            .Select(t => new ChartSeries(t.Team.Name, t.Trend.Where(m => m.Resolution.Rate is not null)
                .Select(m => new ChartPoint(m.Period.ShortLabel, (int)Math.Round(m.Resolution.Rate!.Value * 100))).ToList()))
            .Where(s => s.Values.Count > 0).ToList();
        if (trendChart.All(s => s.Values.Count < 2)) trendChart = [];
        var credited = r.Ratings.Where(x => x.Credited).ToList();
        var others = r.Ratings.Where(x => !x.Credited).ToList();
        var ratings = r.Ratings.Count == 0 ? ""
            : $"{Count(r.Ratings.Count, "customer rating")} this month, {Average(r.Ratings)} of 5 on average" +
              (credited.Count > 0 && others.Count > 0 ? $"; customers who got a credit: {Average(credited)}, everyone else: {Average(others)}" : "");
        var card = new OrgCard(
            $"All teams · {periodLabel}",
            intro ?? "Every team's month side by side. Teams of fewer than 3 reps count in the totals but show no figures of their own.",
            rate is null ? "—" : Percent(rate),
            trend,
            TeamCards.TrendColor(rate, before),
            $"{r.Resolution.Resolved} of {r.Resolution.Requests} credit requests solved by reps on their own, across {Count(r.Teams.Count, "team")}",
            teams,
            hidden > 0,
            hidden == 0 ? "" : $"{Count(hidden, "team")} of fewer than {OrgInsights.MinReps} reps: counted in the totals, not shown on their own.",
            use.Reps == 0 ? "No reps yet." : $"How much of their budget {use.Reps} reps used, all teams together:",
            [Bucket("under 10 %", use.Under10), Bucket("10–50 %", use.From10To50), Bucket("50–90 %", use.From50To90), Bucket("over 90 %", use.Over90)],
            TeamCards.ExceptionsLine(e),
            ratings.Length > 0,
            ratings,
            r.GoodNews.Count > 0,
            r.GoodNews.Take(MaxGoodNews).Select(g => new TeamCardLine(g.Kudo.Text, g.TeamName)).ToList(),
            r.Highlights.Count > 0,
            r.Highlights.Select(h => new TeamCardLine(h.Text, h.Section)).ToList(),
            r.Escalated.Count > 0,
            "Open too long (Obstacles:EscalateAfter) or backed by people in several teams: no manager can take one off this list, only fix it or say why not.",
            r.Escalated.Select(h => new TeamCardLine(h.Text, h.Section)).ToList(),
            TeamCards.BudgetChart(use),
            trendChart.Count > 0,
            trendChart);
        return new CardReply("org-insights", card, $"All teams, {periodLabel}: frontline resolution {card.Rate}. {trend}");
    }

    private static string Percent(double? share) => TeamCards.Percent(share);

    private static string Duration(TimeSpan t) => TeamCards.Duration(t);

    private static string Average(IEnumerable<CustomerRating> ratings) => FeedbackHighlights.Average(ratings);

    private static string Count(int n, string one) => n == 1 ? $"1 {one}" : $"{n} {one}s";

    private static TeamCardBucket Bucket(string label, int reps) => TeamCards.Bucket(label, reps);
}

/// <summary>"org": the customer-service executive's view of every team. Nobody else sees it.</summary>
public sealed class OrgCommand(OrgInsights insights, Roster roster, TimeProvider clock) : ICommand
{
    public CommandInfo Info { get; } = new("org", "org", "Every team side by side: frontline resolution over six months, budget use, exceptions, good news, obstacles",
        "Your team", ManagersOnly: true, InMenu: false);

    public bool Recognizes(string text) => text is "org" or "org view" or "organisation" or "organization" or "all teams" or "every team" or "org insights";

    public async Task<TurnResult> HandleAsync(TurnContext context, CancellationToken ct)
    {
        var person = context.Person;
        if (!roster.IsExecutive(person))
            return TurnResult.Of(Reply.Say("The organisation view is for the customer-service executive (Organization:Executives). Managers: **team** shows your own team."));
        var report = await insights.ForAsync(person.TenantId, ct);
        var label = Budget.Period.Containing(clock.GetUtcNow(), person.ReadingZone).Label;
        return TurnResult.Of(new Reply(null, OrgCards.Build(report, label)));
    }
}
