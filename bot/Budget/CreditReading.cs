using System.Globalization;

namespace EmpowerBot.Budget;

/// <summary>
/// Which words of a credit command are its amount and its customer, and where its reason begins.
/// The "head" is the run of words after the verb made only of amounts, references and small fillers
/// ("credit $25 to ACME-1042 | for late delivery"); a bare number counts only there, so the "3" of
/// "because it came 3 days late" is never taken for an amount.
/// </summary>
internal sealed class CreditReading
{
    private static readonly HashSet<string> HeadFillers = ["a", "an", "of", "with", "credit", "refund"];

    /// <summary>Words before a reference that make it an order's, a ticket's… rather than the customer's.</summary>
    private static readonly HashSet<string> ThingWords =
        ["order", "invoice", "ticket", "case", "po", "tracking", "shipment", "parcel", "package", "sku", "item", "product", "receipt", "booking", "inv"];

    private readonly IReadOnlyList<Token> tokens;

    public CreditReading(IReadOnlyList<Token> tokens, Currency currency)
    {
        this.tokens = tokens;
        var n = tokens.Count;
        Used = new bool[n];
        Used[0] = true;

        var amounts = new List<WrittenAmount>();
        var amountAt = new WrittenAmount?[n];
        for (var i = 1; i < n; i++)
        {
            if (Amounts.Read(tokens, i) is not { } amount) continue;
            amounts.Add(amount);
            for (var k = i; k < i + amount.Count; k++) amountAt[k] = amount;
            i += amount.Count - 1;
        }

        var references = new List<int>();
        var inChain = new bool[n];
        for (var i = 1; i < n; i++)
        {
            if (amountAt[i] is { Strong: true }) continue;
            var reference = CreditTokens.ExplicitCustomer(tokens, i);
            // "order #5512" and "order # 5512" name an order; "item to ACME-1" still names the customer.
            if (reference < 0 || NamesAThing(tokens[i].Lower.StartsWith('#') ? i : reference)) continue;
            references.Add(reference);
            for (var k = i; k <= reference; k++) inChain[k] = Used[k] = true;
            i = reference;
        }
        // "to 1042": the number was named as the customer, so it is no longer a candidate amount.
        amounts.RemoveAll(a => inChain[a.Index]);

        HeadEnd = 1;
        while (HeadEnd < n && (amountAt[HeadEnd] is not null || inChain[HeadEnd] || tokens[HeadEnd].IsNoise
            || CreditTokens.LooksLikeId(tokens[HeadEnd].Lower) || HeadFillers.Contains(tokens[HeadEnd].Lower)))
        {
            Used[HeadEnd++] = true;
        }

        ChooseCustomer(references, amountAt, inChain);
        ChooseAmount(amounts.Where(a => a.Strong).ToList());

        // Bare numbers fill what is still missing, in order; two of them with nothing else to tell them apart
        // could be either way round, and a credit to the wrong customer is worse than a question.
        var bare = amounts.Where(a => !a.Strong && a.Index < HeadEnd).ToList();
        if (Amount is null && AmountProblem is null && Customer is null && CustomerProblem is null && bare.Count > 1)
        {
            var example = new Money(2500, currency);
            AmountProblem = CustomerProblem =
                $"I can't tell which of {bare[0].Text} and {bare[1].Text} is the amount and which is the customer; "
                + $"write the amount with its currency (like {example}) or the customer after 'to' (like 'to {bare[1].Text}').";
            return;
        }
        var queue = new Queue<WrittenAmount>(bare);
        if (Amount is null && AmountProblem is null && queue.Count > 0) Amount = queue.Dequeue();
        if (Customer is null && CustomerProblem is null && queue.Count > 0) Customer = queue.Dequeue().Text;
    }

    /// <summary>Words taken by the verb, the head, the amount and the customer; the rest is the reason.</summary>
    public bool[] Used { get; }

    public int HeadEnd { get; }

    public WrittenAmount? Amount { get; private set; }

    public string? AmountProblem { get; private set; }

    /// <summary>The customer as written; the parser normalises and checks it.</summary>
    public string? Customer { get; private set; }

    public string? CustomerProblem { get; private set; }

    /// <summary>
    /// Named ("to", "#", "customer") beats a reference-looking word in the head, which beats one in the reason; yet any
    /// other reference in the message ("to ACME-1 and ACME-2") makes it a question, since a credit to the wrong
    /// customer is worse than asking. The same customer written twice is one.
    /// </summary>
    private void ChooseCustomer(List<int> references, WrittenAmount?[] amountAt, bool[] inChain)
    {
        var free = Enumerable.Range(1, tokens.Count - 1).Where(i => amountAt[i] is null && !inChain[i]).ToList();
        var head = free.Where(i => i < HeadEnd && CreditTokens.LooksLikeId(tokens[i].Lower)).ToList();
        var inReason = free.Where(i => i >= HeadEnd && CreditTokens.LooksLikeIdInReason(tokens[i].Lower) && !NamesAThing(i)).ToList();
        var candidates = references.Concat(head).Concat(inReason).DistinctBy(i => Key(tokens[i].Text)).ToList();
        if (candidates.Count > 1)
        {
            CustomerProblem = $"I found more than one customer ({List(candidates.Select(i => tokens[i].Text))}); write just one, after 'to'.";
            return;
        }
        if (candidates.Count == 0) return;
        Customer = tokens[candidates[0]].Text;
        // A customer read from the reason is taken out of it; one named before stays there as the rep wrote it.
        if (references.Count == 0 && head.Count == 0) Used[candidates[0]] = true;
    }

    /// <summary>
    /// An amount in the head is the credit's; any other one makes it a question ("$5 and $90"), except the same amount
    /// written again ("$5.00 … $5") or one that describes something ("for a $30 order"). Only when the head has none
    /// does a describing amount count.
    /// </summary>
    private void ChooseAmount(List<WrittenAmount> strong)
    {
        var pool = strong.Where(a => a.Index < HeadEnd || !Describes(a)).ToList();
        if (pool.Count == 0) pool = strong;
        var distinct = pool.DistinctBy(Value).ToList();
        if (distinct.Count > 1)
        {
            AmountProblem = $"I found more than one amount ({List(distinct.Select(a => a.Text))}); write just one.";
            return;
        }
        if (pool.Count == 0) return;
        Amount = pool[0];
        for (var k = Amount.Index; k < Amount.Index + Amount.Count; k++) Used[k] = true;
    }

    /// <summary>"a $30 order", "the $12 charge": an article before it and a word after it that is not a credit.</summary>
    private bool Describes(WrittenAmount amount)
    {
        var after = amount.Index + amount.Count;
        return amount.Index > 0 && tokens[amount.Index - 1].Lower is "a" or "an" or "the"
            && after < tokens.Count && tokens[after].Lower is not ("credit" or "refund") && tokens[after].Lower.Any(char.IsLetter);
    }

    /// <summary>The amount's value, so "$5" and "5.00" are one (decimal equality ignores trailing zeros); its text when it is no number.</summary>
    private static (decimal?, string?) Value(WrittenAmount amount) =>
        decimal.TryParse(amount.Number.Replace(",", ""), NumberStyles.Number, CultureInfo.InvariantCulture, out var value)
            ? (value, amount.Currency is "$" ? null : amount.Currency)
            : (null, amount.Text);

    /// <summary>"order #5512", "invoice INV-20": a reference to a thing, not to a customer.</summary>
    private bool NamesAThing(int i) => i > 0 && ThingWords.Contains(tokens[i - 1].Lower);

    private static string Key(string customer) =>
        CustomerRef.TryNormalize(customer, out var normalized, out _) ? normalized : customer.ToUpperInvariant();

    private static string List(IEnumerable<string> items)
    {
        var all = items.ToList();
        var shown = all.Take(3).Select(s => s.Length <= 24 ? s : s[..24] + "…");
        return string.Join(", ", shown) + (all.Count > 3 ? $" and {all.Count - 3} more" : "");
    }
}
