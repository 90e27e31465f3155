using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EmpowerBot.Budget;
using EmpowerBot.Conversation;

namespace EmpowerBot.Policy;

/// <summary>View model of cards/policy-edit.json: the team's limits as inputs, and the organisation's fixed rules as lines.</summary>
public sealed record PolicyEditCard(string Title, string Intro, bool HasProblems, IReadOnlyList<FormProblem> Problems, string Currency,
    string MonthlyBudget, string Threshold, string UndoMinutes, string RepeatMax, string RepeatDays, IReadOnlyList<PolicyCap> Caps,
    IReadOnlyList<LimitLine> Fixed, string Op, string Stamp);

/// <summary>One reason's cap input: its position in the team's reasons (the input id), its name and the cap as text.</summary>
public sealed record PolicyCap(string Id, string Name, string Cap);

/// <summary>One change of a team's limits, for the reply, the reps' message and the audit trail.</summary>
public sealed record PolicyChange(string Field, string Label, string From, string To);

/// <summary>
/// A team's limits as its managers change them: the card, read back with the same care as a credit (a clear message and
/// nothing changed on any bad value), within what the organisation fixed (a limit or cap never above the hard maximum;
/// forbidden reasons and the hold list are the organisation's). A card carries a stamp of the limits it showed, so a
/// card opened before someone else's change cannot silently undo it.
/// </summary>
public static class PolicyEdit
{
    public const string SubmitCommand = "policy-save";
    public const int MaxUndoMinutes = 24 * 60;

    public static bool IsSubmission(JsonElement? data) => SubmittedCommand.From(data) == SubmitCommand;

    /// <summary>
    /// The team's own policy, or a copy of the organisation's default it follows until its first change; with the
    /// organisation's rules its admins set laid over it.
    /// </summary>
    public static PolicyOptions Effective(TeamOptions team, PolicyOptions root, OrgRules? rules) =>
        rules is null ? (team.Policy ?? root).Copy() : rules.Over(team.Policy ?? root);

    public static Reply Card(TeamOptions team, PolicyOptions root, OrgRules? rules, IReadOnlyList<string> problems, JsonElement? typed = null)
    {
        var policy = Effective(team, root, rules);
        var currency = Budget.Currency.Of(team.Currency);
        string Value(string id, string current) => typed is { } data && SubmittedCommand.Field(data, id) is { } v ? v : current;
        var caps = policy.Reasons.Select((r, i) => new PolicyCap($"cap{i}", r.Name, Value($"cap{i}", Amount(r.Cap)))).ToList();
        var fixedRules = new List<LimitLine>
        {
            new("Never above", policy.HardMaximum is { } max ? $"{Money.FromDecimal(max, currency)} for one credit, even with approval" : "no hard maximum"),
            new("Never for", policy.ForbiddenReasons.Count == 0 ? "no forbidden reasons" : string.Join(", ", policy.ForbiddenReasons.Select(f => f.Name))),
            new("Hold list", policy.HoldList.Count == 0 ? "no customers on hold" : $"{policy.HoldList.Count} customer(s) may receive no credit"),
        };
        var card = new PolicyEditCard(
            $"{team.Name}: credit policy",
            problems.Count == 0
                ? "Change your team's limits and save: reps hear what changed, and every change is kept in the audit trail. The organisation's rules below are fixed."
                : "Nothing was saved yet:",
            problems.Count > 0,
            problems.Select(p => new FormProblem(p)).ToList(),
            currency.Code,
            Value("monthlyBudget", Amount(team.MonthlyBudget)),
            Value("threshold", Amount(policy.ExceptionThreshold)),
            Value("undoMinutes", ((int)policy.UndoWindow.TotalMinutes).ToString(CultureInfo.InvariantCulture)),
            Value("repeatMax", policy.RepeatCustomer.MaxCredits.ToString(CultureInfo.InvariantCulture)),
            Value("repeatDays", policy.RepeatCustomer.WithinDays.ToString(CultureInfo.InvariantCulture)),
            caps,
            fixedRules,
            CardKeys.Mint(),
            StampOf(team, root, rules));
        return Reply.Show("policy-edit", card, $"{card.Title}. " + (problems.Count > 0 ? string.Join(" ", problems) : card.Intro));
    }

    /// <summary>A short hash of what the card showed: the team's budget and its effective policy.</summary>
    public static string StampOf(TeamOptions team, PolicyOptions root, OrgRules? rules)
    {
        var text = team.MonthlyBudget.ToString(CultureInfo.InvariantCulture) + "|" + JsonSerializer.Serialize(Effective(team, root, rules));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }

    /// <summary>
    /// The submitted limits applied to a copy of the team: the new team, and what changed; or the problems, each naming
    /// its field, when any value is not acceptable (then nothing is to change).
    /// </summary>
    public static (TeamOptions? Team, IReadOnlyList<PolicyChange> Changes, IReadOnlyList<string> Problems) Apply(TeamOptions team, PolicyOptions root, OrgRules? rules,
        JsonElement data)
    {
        var policy = Effective(team, root, rules);
        var currency = Budget.Currency.Of(team.Currency);
        var problems = new List<string>();
        var max = policy.HardMaximum;
        var budget = ReadAmount(data, "monthlyBudget", "The monthly budget", currency, required: true, problems, ceiling: 1_000_000m);
        var threshold = ReadAmount(data, "threshold", "The single-credit limit", currency, required: false, problems, ceiling: max, ceilingName: "the organisation's hard maximum");
        var undo = ReadWhole(data, "undoMinutes", "The undo window", 0, MaxUndoMinutes, "minutes", problems);
        var repeatMax = ReadWhole(data, "repeatMax", "Credits to one customer", 0, 100, "credits", problems);
        var repeatDays = ReadWhole(data, "repeatDays", "The repeat-customer window", 0, 365, "days", problems);
        var caps = policy.Reasons.Select((r, i) =>
            ReadAmount(data, $"cap{i}", $"The cap for {r.Name}", currency, required: false, problems, ceiling: max, ceilingName: "the organisation's hard maximum")).ToList();
        if (problems.Count > 0) return (null, [], problems);

        var changes = new List<PolicyChange>();
        void Note(string field, string label, string from, string to)
        {
            if (from != to) changes.Add(new PolicyChange(field, label, from, to));
        }
        string Shown(decimal? amount, string none) => amount is { } a ? Money.FromDecimal(a, currency).ToString() : none;
        Note("monthlyBudget", "Monthly budget", Shown(team.MonthlyBudget, "none"), Shown(budget, "none"));
        Note("threshold", "Single-credit limit", Shown(policy.ExceptionThreshold, "none"), Shown(threshold, "none"));
        Note("undoMinutes", "Undo window", Minutes(policy.UndoWindow), Minutes(TimeSpan.FromMinutes(undo!.Value)));
        Note("repeatMax", "Credits to one customer before approval", Count(policy.RepeatCustomer.MaxCredits), Count(repeatMax!.Value));
        Note("repeatDays", "Repeat-customer window", Days(policy.RepeatCustomer.WithinDays), Days(repeatDays!.Value));
        for (var i = 0; i < policy.Reasons.Count; i++)
            Note($"cap{i}", $"Cap for {policy.Reasons[i].Name}", Shown(policy.Reasons[i].Cap, "none"), Shown(caps[i], "none"));
        if (changes.Count == 0) return (team, [], []);

        policy.ExceptionThreshold = threshold;
        policy.UndoWindow = TimeSpan.FromMinutes(undo.Value);
        policy.RepeatCustomer = new RepeatCustomerOptions { MaxCredits = repeatMax.Value, WithinDays = repeatDays.Value };
        for (var i = 0; i < policy.Reasons.Count; i++) policy.Reasons[i].Cap = caps[i];
        var problemsAfter = policy.Problems(PolicyOptions.Section).ToList();
        if (problemsAfter.Count > 0) return (null, [], problemsAfter);
        var changed = team.CopySettings();
        changed.MonthlyBudget = budget!.Value;
        changed.Policy = policy;
        return (changed, changes, []);
    }

    private static decimal? ReadAmount(JsonElement data, string id, string label, Currency currency, bool required, List<string> problems,
        decimal? ceiling, string ceilingName = "1,000,000")
    {
        var text = (SubmittedCommand.Field(data, id) ?? "").Trim().TrimStart('$', '€', '£').Replace(",", "", StringComparison.Ordinal);
        if (text.Length == 0 || text.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            if (required) problems.Add($"{label} is needed (0 for none).");
            return required ? null : null;
        }
        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || decimal.Round(value, currency.Decimals) != value)
        {
            problems.Add($"{label}: \"{TextCut.Shorten(SubmittedCommand.Field(data, id) ?? "", 20)}\" is not an amount in {currency.Code}, like 150 or 150.00.");
            return null;
        }
        if (ceiling is { } top && value > top)
        {
            problems.Add($"{label} can be at most {Money.FromDecimal(top, currency)} ({ceilingName}).");
            return null;
        }
        return value;
    }

    private static int? ReadWhole(JsonElement data, string id, string label, int min, int max, string unit, List<string> problems)
    {
        var text = (SubmittedCommand.Field(data, id) ?? "").Trim();
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            problems.Add($"{label} is a whole number of {unit} from {min} to {max}" + (text.Length > 0 ? $", not \"{TextCut.Shorten(text, 20)}\"." : "."));
            return null;
        }
        return value;
    }

    private static string Amount(decimal? value) => value is { } v ? v.ToString("0.##", CultureInfo.InvariantCulture) : "";

    private static string Minutes(TimeSpan span) => span <= TimeSpan.Zero ? "no undo" : $"{(int)span.TotalMinutes} min";

    private static string Count(int n) => n <= 0 ? "no limit" : n.ToString(CultureInfo.InvariantCulture);

    private static string Days(int n) => n <= 0 ? "none" : n == 1 ? "1 day" : $"{n} days";
}
