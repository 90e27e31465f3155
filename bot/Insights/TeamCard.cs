using System.Globalization;
using EmpowerBot.Conversation;

namespace EmpowerBot.Insights;

/// <summary>View model of cards/team-insights.json. Aggregates only: no person's figures, no ranking.</summary>
public sealed record TeamCard(
    string TeamName,
    string PeriodLabel,
    string Rate,
    string RateDetail,
    string Trend,
    string TrendColor,
    string BudgetUseLine,
    IReadOnlyList<TeamCardBucket> Buckets,
    string ExceptionsLine,
    bool HasKudos,
    IReadOnlyList<TeamCardLine> Kudos,
    bool HasHighlights,
    IReadOnlyList<TeamCardSection> Sections,
    string Intro,
    IReadOnlyList<ChartPoint> BudgetChart);

/// <param name="Reps">How many reps, as text: a TextBlock shows only strings (a bound number renders as nothing).</param>
public sealed record TeamCardBucket(string Label, string Reps);

public sealed record TeamCardLine(string Text, string Detail);

public sealed record TeamCardSection(string Title, IReadOnlyList<TeamCardLine> Lines);

public static class TeamCards
{
    public const int MaxKudos = 5;

    public static CardReply Build(TeamReport r, string intro)
    {
        var rate = r.Resolution.Rate;
        var before = r.PreviousResolution.Rate;
        var trend = Trend(rate, before);
        var use = r.BudgetUse;
        var exceptions = ExceptionsLine(r.Exceptions);
        var card = new TeamCard(
            r.Team.Name,
            r.Period.Label,
            rate is null ? "—" : Percent(rate.Value),
            $"{r.Resolution.Resolved} of {r.Resolution.Requests} credit requests solved by reps on their own ({r.Resolution.Escalated} escalated, {r.Resolution.Refused} refused by a rule)",
            trend,
            TrendColor(rate, before),
            use.Reps == 0 ? "No reps yet." : $"How much of their budget {use.Reps} rep{(use.Reps == 1 ? "" : "s")} used (a low share is a training signal, not a failure):",
            [Bucket("under 10 %", use.Under10), Bucket("10–50 %", use.From10To50), Bucket("50–90 %", use.From50To90), Bucket("over 90 %", use.Over90)],
            exceptions,
            r.Kudos.Count > 0,
            r.Kudos.Take(MaxKudos).Select(k => new TeamCardLine(k.Text, k.ColleagueName is null ? $"from {k.FromName}" : $"to {k.ColleagueName}, from {k.FromName}")).ToList(),
            r.Highlights.Count > 0,
            r.Highlights.GroupBy(h => h.Section).Select(g => new TeamCardSection(g.Key, g.Select(h => new TeamCardLine(h.Text, h.GoodNews ? "good news" : "")).ToList())).ToList(),
            intro,
            BudgetChart(use));
        return new CardReply("team-insights", card, $"{r.Team.Name}, {r.Period.Label}: frontline resolution {card.Rate}. {trend}");
    }

    /// <summary>"Up from 79 % last month." — the month's rate against the one before.</summary>
    public static string Trend(double? rate, double? before) => (rate, before) switch
    {
        (null, _) => "No credit requests yet this month.",
        (_, null) => "No requests last month to compare with.",
        _ when rate >= before => $"Up from {Percent(before)} last month.",
        _ => $"Down from {Percent(before)} last month.",
    };

    public static string TrendColor(double? rate, double? before) => rate is not null && before is not null && rate < before ? "Attention" : "Good";

    /// <summary>"6 exceptions: 4 approved, … · approval rate 80 % · median decision in 1.5 h".</summary>
    public static string ExceptionsLine(ExceptionFigures e) => e.Count == 0
        ? "No exceptions this month."
        : $"{e.Count} exception{(e.Count == 1 ? "" : "s")}: {e.Approved} approved, {e.Declined} declined, {e.Expired} expired, {e.Pending} waiting" +
          (e.ApprovalRate is { } ar ? $" · approval rate {Percent(ar)}" : "") +
          (e.MedianTimeToDecision is { } m ? $" · median decision in {Duration(m)}" : "");

    public static string Percent(double? share) => share is null ? "—" : (share.Value * 100).ToString("0", CultureInfo.InvariantCulture) + " %";

    public static string Duration(TimeSpan t) => t.TotalHours >= 1 ? $"{t.TotalHours:0.#} h" : $"{Math.Max(1, t.TotalMinutes):0} min";

    /// <summary>Budget use as the bars of a Chart.VerticalBar: how many reps used how much of their budget.</summary>
    public static IReadOnlyList<ChartPoint> BudgetChart(BudgetUse use) =>
        [new("< 10 %", use.Under10), new("10–50 %", use.From10To50), new("50–90 %", use.From50To90), new("> 90 %", use.Over90)];

    public static TeamCardBucket Bucket(string label, int reps) => new(label, reps.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
