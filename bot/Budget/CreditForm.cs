using System.Text.Json;
using EmpowerBot.Conversation;
using EmpowerBot.Policy;

namespace EmpowerBot.Budget;

/// <summary>View model of cards/credit-form.json.</summary>
public sealed record CreditFormCard(string Intro, bool HasProblems, IReadOnlyList<FormProblem> Problems, string Currency,
    string Amount, string Customer, string Reason, IReadOnlyList<FormChoice> Reasons, string Remaining, string Op);

public sealed record FormProblem(string Text);

public sealed record FormChoice(string Title, string Value);

/// <summary>
/// The credit form: shown when a credit command misses something or is ambiguous (prefilled with what was
/// understood), and read back when the rep submits it.
/// </summary>
public static class CreditForm
{
    public const string SubmitCommand = "credit-form";

    public static bool IsSubmission(JsonElement? data) => SubmittedCommand.From(data) == SubmitCommand;

    /// <summary>Reads the submitted inputs with the same rules as typed text.</summary>
    public static ParsedCredit Read(JsonElement data, Currency currency, IReadOnlyList<ReasonDefinition> reasons) =>
        ReadFields(data, currency, reasons).Credit;

    /// <summary>What is wrong with each input, by its id (amount, customer, reason); empty when the form reads.</summary>
    public static IReadOnlyDictionary<string, string> FieldProblems(JsonElement data, Currency currency, IReadOnlyList<ReasonDefinition> reasons) =>
        ReadFields(data, currency, reasons).Problems;

    private static (ParsedCredit Credit, Dictionary<string, string> Problems) ReadFields(JsonElement data, Currency currency, IReadOnlyList<ReasonDefinition> reasons)
    {
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        Money? amount = null;
        if (Money.TryParse(Field(data, "amount"), currency, out var money, out var amountError)) amount = money;
        else problems["amount"] = amountError;
        string? customer = null;
        if (CustomerRef.TryNormalize(Field(data, "customer"), out var normalized, out var customerError)) customer = normalized;
        else problems["customer"] = customerError;
        var reasonText = Field(data, "reason").Trim();
        var reason = reasons.FirstOrDefault(r => string.Equals(r.Name, reasonText, StringComparison.OrdinalIgnoreCase))
            ?? ReasonMatcher.For(reasons).Match(reasonText);
        if (reasonText.Length == 0) problems["reason"] = "Pick a reason for the credit.";
        return (new ParsedCredit(amount, customer, reason, reasonText.Length == 0 ? null : reasonText, problems.Values.ToList()), problems);
    }

    public static Reply Card(ParsedCredit parsed, Team team, Money remaining, IReadOnlyList<string> problems)
    {
        var reasons = team.Policy.Reasons.Select(r => new FormChoice(r.Name, r.Name)).ToList();
        var card = new CreditFormCard(
            problems.Count == 0 ? "Fill in the credit and I'll apply it right away if it fits your budget and the team's policy." : "I need a little more to apply this credit.",
            problems.Count > 0,
            problems.Select(p => new FormProblem(p)).ToList(),
            team.Currency.Code,
            parsed.Amount is { } a ? a.ToDecimal().ToString("F" + team.Currency.Decimals, System.Globalization.CultureInfo.InvariantCulture) : "",
            parsed.Customer ?? "",
            parsed.Reason?.Name ?? "",
            reasons,
            remaining.ToString(),
            // Minted now, carried back by "Apply credit": however often this form is submitted, it credits once.
            CardKeys.Mint());
        var summary = problems.Count == 0 ? "Give a credit: fill in the form." : "I need a little more to apply this credit: " + string.Join(" ", problems);
        return Reply.Show("credit-form", card, summary);
    }

    private static string Field(JsonElement data, string name) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : "";
}
