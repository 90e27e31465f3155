using EmpowerBot.Conversation;
using EmpowerBot.Policy;

namespace EmpowerBot.Budget;

/// <summary>
/// What the parser read from a credit command. Anything it could not read is null and explained in
/// <see cref="Problems"/>, in plain words, so the caller can show a form with what it did read.
/// </summary>
/// <param name="Customer">Normalised (see <see cref="CustomerRef"/>): "ACME-1042", "1042".</param>
/// <param name="Reason">The configured reason the words matched, or null (free text or none).</param>
/// <param name="ReasonText">The reason as the rep wrote it, without "for"/"because".</param>
public sealed record ParsedCredit(Money? Amount, string? Customer, ReasonDefinition? Reason, string? ReasonText, IReadOnlyList<string> Problems)
{
    public bool IsComplete => Problems.Count == 0;
}

/// <summary>
/// Reads "credit $25 to ACME-1042 for late delivery" and its many variants, by words rather than one pattern:
/// an amount is recognised by its currency or decimals, a customer by "#", "to" or its mix of letters and digits,
/// and a bare number only where no other reading is left. What remains is the reason. Never throws on input.
/// </summary>
public static class CreditParser
{
    public const int MaxReasonLength = 200;

    /// <summary>The problem of a credit written without a reason (a question about one may leave it out).</summary>
    public const string NoReason = "I couldn't find what the credit is for; add a reason, like 'for late delivery'.";

    private static readonly HashSet<string> Verbs = ["credit", "refund", "give", "apply"];

    /// <summary>What starts like a credit but names another command.</summary>
    private static readonly HashSet<string> NotCredits = ["credit history", "credits", "credit rules", "credit policy", "credit limits", "refund policy", "credit log", "credits log", "credit list"];

    /// <summary>Words that introduce a reason, dropped from its start: "for", "because of", "due to".</summary>
    private static readonly HashSet<string> Connectors =
        ["for", "because", "of", "due", "to", "since", "as", "reason", "re", "with", "cause", "bc", "a", "an", "credit"];

    /// <summary>True when the normalised text (see <see cref="CommandText.Normalize"/>) is a credit command.</summary>
    public static bool Recognizes(string normalizedText)
    {
        var space = normalizedText.IndexOf(' ');
        var first = (space < 0 ? normalizedText : normalizedText[..space]).TrimEnd(':', ',');
        // "credit history" is the list of credits and "credit rules" the policy, not a credit; "refund request from…",
        // "credit card ending 4242" and "refund of $20 pending" talk about one.
        if (!Verbs.Contains(first) || NotCredits.Contains(normalizedText)) return false;
        var rest = space < 0 ? "" : normalizedText[(space + 1)..];
        var second = rest.Split(' ', 2)[0].Trim(',', '.', ':', ';', '!');
        // "give me 10 minutes" asks the bot for time, not a customer for money.
        if (first == "give" && second is "me" or "us") return false;
        return !CreditSentence.NounFollowers.Contains(second) && !CreditSentence.Reports(normalizedText.Split(' '));
    }

    /// <param name="forbidden">The policy's forbidden reasons: one named anywhere settles the reason, whatever else the text names.</param>
    public static ParsedCredit Parse(string? text, Currency currency, IReadOnlyList<ReasonDefinition> reasons, IReadOnlyList<ForbiddenReason>? forbidden = null)
    {
        // What the rep's screen shows is what is read: a zero-width space must not keep "ACME-0001," from losing its comma.
        text = text is null ? null : InvisibleText.Remove(text) ?? text;
        var normalized = CommandText.Normalize(text);
        var tokens = CreditTokens.Tokenize(CreditTokens.CasedLike(text ?? "", normalized));
        if (tokens.Count == 0 || !Verbs.Contains(tokens[0].Lower))
            return new(null, null, null, null, ["Start a credit with 'credit', like 'credit $25 to ACME-1042 for late delivery'."]);

        var reading = new CreditReading(tokens, currency);
        var problems = new List<string>();
        var amount = ReadAmount(reading, currency, problems);
        var customer = ReadCustomer(reading, problems);
        var reasonText = ReasonText(tokens, reading);
        ReasonDefinition? reason = null;
        if (reasonText is null)
            problems.Add(NoReason);
        else
        {
            if (reasonText.Length > MaxReasonLength)
                problems.Add($"The reason is too long ({reasonText.Length:N0} characters); keep it under {MaxReasonLength}.");
            var named = ReasonMatcher.For(reasons).MatchAll(reasonText);
            // Two reasons are a question, unless a forbidden one is named too: then the policy refuses with its rule.
            if (named.Count > 1 && !(forbidden ?? []).Any(f => f.IsNamedIn(reasonText)))
                problems.Add($"This could be a credit for {string.Join(" or for ", named.Take(3))}; pick the one reason it is for.");
            else
                reason = named.FirstOrDefault();
        }
        return new(amount, customer, reason, reasonText, problems);
    }

    private static Money? ReadAmount(CreditReading reading, Currency currency, List<string> problems)
    {
        if (reading.AmountProblem is { } problem)
        {
            problems.Add(problem);
            return null;
        }
        if (reading.Amount is not { } written)
        {
            problems.Add($"I couldn't find the amount; write it like {Money.FromDecimal(25, currency)}.");
            return null;
        }
        if (written.Currency == Amounts.Cents)
        {
            problems.Add($"Write cents as part of the amount, like {new Money(50, currency)}.");
            return null;
        }
        if (written.Currency is { } named && !(named == "$" ? currency.Symbol.Contains('$') : named == currency.Code))
        {
            var what = named == "$" ? "dollars" : named;
            problems.Add($"'{written.Text}' is in {what}, but your team's credits are in {currency.Code}.");
            return null;
        }
        if (written.Problem is { } shape)
        {
            problems.Add(shape);
            return null;
        }
        if (!Money.TryParse(written.Number, currency, out var money, out var error))
        {
            problems.Add(error);
            return null;
        }
        return money;
    }

    private static string? ReadCustomer(CreditReading reading, List<string> problems)
    {
        if (reading.CustomerProblem is { } problem)
        {
            // Two bare numbers make one problem for both the amount and the customer: say it once.
            if (!problems.Contains(problem)) problems.Add(problem);
            return null;
        }
        if (reading.Customer is not { } written)
        {
            problems.Add("I couldn't find the customer; write their reference after 'to', like 'to ACME-1042'.");
            return null;
        }
        if (!CustomerRef.TryNormalize(written, out var customer, out var error))
        {
            problems.Add(error);
            return null;
        }
        return customer;
    }

    /// <summary>The words nobody else took, as the rep wrote them, without the words that introduce a reason.</summary>
    private static string? ReasonText(IReadOnlyList<Token> tokens, CreditReading reading)
    {
        var words = Enumerable.Range(reading.HeadEnd, tokens.Count - reading.HeadEnd)
            .Where(i => !reading.Used[i])
            .Select(i => tokens[i])
            .SkipWhile(t => Connectors.Contains(t.Lower))
            .ToList();
        if (words.Count > 0 && words[^1].Lower == "credit") words.RemoveAt(words.Count - 1);
        var text = string.Join(' ', words.Select(t => t.Raw)).Trim(' ', ',', ';', ':', '-', '–', '—', '.');
        return text.Length == 0 ? null : text;
    }
}
