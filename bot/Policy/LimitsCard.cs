using EmpowerBot.Budget;
using EmpowerBot.Conversation;

namespace EmpowerBot.Policy;

/// <summary>View model of cards/limits.json: one line per rule, each a title and a sentence with the team's figures.</summary>
public sealed record LimitsCard(string Title, string Left, IReadOnlyList<LimitLine> Rules, string Reasons)
{
    public string Summary => $"{Title}. {Left} " + string.Join(" ", Rules.Select(r => $"{r.Title}: {r.Text}"));

    public static LimitsCard From(Team team, BudgetStatus status, IReadOnlyList<string> approvers)
    {
        var policy = team.Policy;
        var currency = team.Currency;
        var manager = approvers.Count is > 0 and <= 2 ? string.Join(" or ", approvers) : "a manager";
        var remaining = status.Remaining.IsPositive ? status.Remaining : Money.Zero(currency);
        var rules = new List<LimitLine>
        {
            new("On your own", policy.ExceptionThreshold is { } threshold
                ? $"Any credit up to {Money.FromDecimal(threshold, currency)} within your budget is applied at once; more needs {manager}."
                : $"Any credit within your budget is applied at once; there is no single-credit limit."),
            new("Never", policy.HardMaximum is { } max
                ? $"A credit above {Money.FromDecimal(max, currency)} is never allowed, not even with approval."
                : "There is no hard maximum for one credit."),
        };
        var capped = policy.Reasons.Where(r => r.Cap is not null).ToList();
        rules.Add(new("Reason caps", capped.Count == 0
            ? "No reason has a cap of its own."
            : string.Join("; ", capped.Select(r => $"{r.Name} up to {Money.FromDecimal(r.Cap!.Value, currency)}")) + $"; more needs {manager}."));
        rules.Add(new("Never for", policy.ForbiddenReasons.Count == 0
            ? "No reason is forbidden."
            : string.Join(", ", policy.ForbiddenReasons.Select(f => f.Name)) + ": use the company's own process for those."));
        rules.Add(new("Repeat customers", policy.RepeatWindow is null
            ? "No limit on credits to one customer."
            : $"After {Plural(policy.RepeatMaxCredits, "credit")} to one customer within {Plural(policy.RepeatWithinDays, "day")} (from anyone), the next needs {manager}."));
        rules.Add(new("Undo", policy.UndoWindow > TimeSpan.Zero
            ? $"You can undo a credit for {Duration(policy.UndoWindow)} after giving it."
            : "A credit can't be undone once applied."));
        rules.Add(new("Over budget", status.Person.HasBudget
            ? $"A credit over what is left of your {status.Budget} a month needs {manager}."
            : $"You have no budget of your own, so every credit you give needs {manager}."));
        return new LimitsCard(
            $"Your credit limits ({team.Name})",
            status.Person.HasBudget ? $"You have {remaining} left of {status.Budget} for {status.Period.Label}." : "You have no budget of your own.",
            rules,
            policy.Reasons.Count == 0 ? "Your team has no credit reasons set up yet." : "Reasons: " + string.Join(", ", policy.Reasons.Select(r => r.Name)) + ".");
    }

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    private static string Duration(TimeSpan span) => span.TotalMinutes < 60
        ? Plural((int)span.TotalMinutes, "minute")
        : span.TotalMinutes % 60 == 0 ? Plural((int)span.TotalHours, "hour") : $"{(int)span.TotalHours} h {span.Minutes} min";
}

public sealed record LimitLine(string Title, string Text);
