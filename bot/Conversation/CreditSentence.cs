using System.Text.RegularExpressions;

namespace EmpowerBot.Conversation;

/// <summary>
/// Recognises a credit from its parts — an amount, a customer and a word that gives money — in any order and after any
/// lead-in, so that "ACME-31 gets $10 for the late order" reads as "credit ACME-31 $10 for the late order".
/// A message that only mentions money ("ACME-5 called about a $20 invoice") or asks about it is not a credit.
/// </summary>
public static partial class CreditSentence
{
    /// <summary>Words the credit parser reads as the start of a credit already: nothing to reorder.</summary>
    public static readonly HashSet<string> ParserVerbs = ["credit", "refund", "give", "apply"];

    /// <summary>Words that give money in the middle of a sentence, or start one the parser does not know.</summary>
    private static readonly HashSet<string> Verbs =
    [
        "credit", "refund", "give", "gets", "get", "comp", "compensate", "reimburse", "apply", "crediting", "refunding",
        "giving", "comping", "put", "add", "issue", "do", "cr",
    ];

    /// <summary>Words that turn an order around: "don't credit ACME-5 $20", "we never refund ACME-5 $20".</summary>
    private static readonly HashSet<string> Negations =
    [
        "don't", "dont", "do not", "not", "never", "didn't", "didnt", "won't", "wont", "shouldn't", "shouldnt", "can't", "cant",
        "cannot", "no", "nope", "doesn't", "doesnt", "isn't", "isnt", "wasn't", "wasnt", "without", "stop", "nobody", "noone",
        "rather", "avoid",
    ];

    /// <summary>Words that start a credit's reason once the credit is whole: "…, package was late", "… because it was lost".</summary>
    private static readonly HashSet<string> ReasonStarts = ["for", "because", "since", "as", "bc", "cause", "due", "cuz"];

    /// <summary>
    /// Words that make the "credit" or "refund" after them a thing talked about, not an order: "the $50 refund on ACME-631
    /// bounced", "my $20 credit to ACME-5". ("a" and "an" are left out: "give ACME-5 a $5 credit" is an order.)
    /// </summary>
    private static readonly HashSet<string> Determiners = ["the", "that", "this", "those", "these", "my", "your", "his", "her", "their", "our", "its", "which"];

    /// <summary>
    /// Words that make a credit a maybe, a plan or someone else's wish rather than the rep's order: "maybe give ACME-711
    /// $10", "remember to credit ACME-709 $5 tomorrow", "ACME-707 demanded a $100 refund". Such a message is answered as
    /// a question (what the policy would decide, with Apply): when in doubt, nothing moves until the rep clicks.
    /// </summary>
    private static readonly HashSet<string> Hedges =
    [
        "maybe", "perhaps", "possibly", "should", "could", "would", "might", "if", "remember", "reminder", "later", "tomorrow",
        "needs", "asks", "requests", "requested", "demanded", "demands", "expects", "expected", "deserves", "deserve", "promised",
        "owed", "pending", "nice", "considering", "thinking", "wonder", "wondering", "whether", "planning", "plan", "once", "next", "when", "after", "until",
        "soon", "eventually",
    ];

    /// <summary>Words after "credit" or "refund" that make it a noun: "refund request from…", "credit card…", "refund of $20".</summary>
    public static readonly HashSet<string> NounFollowers =
    [
        "request", "requests", "of", "card", "cards", "was", "is", "has", "had", "went", "came", "failed", "bounced", "didn't", "didnt",
        "got", "pending", "issued", "processed", "status", "amount", "ticket", "form", "team", "department", "policy", "balance",
        "balances", "note", "notes", "memo", "limit", "line", "check", "score", "union", "history", "or",
    ];

    /// <summary>
    /// True when a message led by a credit word reports or refuses rather than orders: a report or a negation comes
    /// before its amount and customer are both named ("credit: ACME-915 says they were charged $20 twice"). What follows
    /// them is the reason, whatever its words.
    /// </summary>
    public static bool Reports(IReadOnlyList<string> words)
    {
        bool amount = false, customer = false;
        for (var i = 1; i < words.Count && !(amount && customer); i++)
        {
            var w = Bare(words[i]);
            if (Mentions.Contains(w) || Negations.Contains(w)) return true;
            if (IsAmount(words, i)) amount = true;
            else if (Customer().IsMatch(w)) customer = true;
        }
        return false;
    }

    /// <summary>True when a hedge (<see cref="Hedges"/>) comes before the credit's reason starts.</summary>
    public static bool IsHedged(IReadOnlyList<string> words)
    {
        foreach (var word in words)
        {
            var w = Bare(word);
            if (ReasonStarts.Contains(w)) return false;
            if (Hedges.Contains(w)) return true;
            if (word.EndsWith(',') || word.EndsWith(';')) return false;
        }
        return false;
    }

    /// <summary>Words between an amount and a customer in a credit written without a verb: "$20 to ACME-19".</summary>
    private static readonly HashSet<string> Between = ["to", "for", "on"];

    /// <summary>Words that make a message a report or a question about money rather than an order to move it.</summary>
    public static readonly HashSet<string> Mentions =
    [
        "about", "asked", "called", "wants", "wanted", "emailed", "complained", "says", "said", "received", "did", "was",
        "were", "got", "had", "has", "invoice", "charged", "paid", "owes", "bill", "issued", "gave", "given", "refunded", "credited",
        "processed", "already", "yesterday", "earlier", "ago", "last", "fyi", "done", "completed", "finished", "sorted", "or", "is", "are",
        "against", "every", "always", "usually", "normally", "often", "sometimes", "never",
    ];

    public static readonly HashSet<string> QuestionWords =
    [
        "can", "could", "may", "am", "would", "should", "is", "are", "do", "does", "will", "how", "what", "why", "did",
        "has", "have", "was", "shall", "when", "where", "which", "who",
    ];

    /// <summary>The word positions to leave out before writing "credit" in front, or null when this is not a credit to reorder.</summary>
    public static IReadOnlySet<int>? Reorder(IReadOnlyList<string> words, bool question)
    {
        if (words.Count == 0 || ParserVerbs.Contains(Bare(words[0]))) return null;
        if (question || QuestionWords.Contains(words[0])) return null;
        if (Bare(words[0]) is "comp" or "compensate" or "reimburse") return new HashSet<int> { 0 };
        var verb = -1;
        bool amount = false, customer = false, inReason = false;
        // Whether amount and customer lead side by side depends on the words only: read once, when first asked.
        var verbless = new Lazy<bool>(() => Verbless(words), LazyThreadSafetyMode.None);
        for (var i = 0; i < words.Count; i++)
        {
            var w = Bare(words[i]);
            // "ACME-5 called about a $20 invoice" reports money; "…, package was late" is the reason of a whole credit.
            if ((Mentions.Contains(w) || Negations.Contains(w)) && !inReason) return null;
            if (verb < 0 && Verbs.Contains(w))
            {
                if (w is "credit" or "refund" && TalkedAbout(words, i)) return null;
                verb = i;
            }
            else if (IsAmount(words, i)) amount = true;
            else if (Customer().IsMatch(w)) customer = true;
            var whole = amount && customer && (verb >= 0 || verbless.Value);
            if (whole && (ReasonStarts.Contains(w) || words[i].EndsWith(',') || words[i].EndsWith(';') || words[i].EndsWith(':'))) inReason = true;
        }
        if (amount && customer && verb < 0 && verbless.Value) return new HashSet<int>();
        if (verb < 0 || !amount || !customer) return null;
        // Words before the verb that are neither the amount nor the customer are a lead-in: "I'd like to", "please".
        var before = Enumerable.Range(0, verb).ToList();
        var leadIn = before.All(i => !IsAmount(words, i) && !Customer().IsMatch(Bare(words[i])));
        return (leadIn ? before.Append(verb) : [verb]).ToHashSet();
    }

    /// <summary>True when the credit or refund at <paramref name="i"/> follows a determiner, an amount between or not: "the $50 refund".</summary>
    private static bool TalkedAbout(IReadOnlyList<string> words, int i)
    {
        if (i + 1 < words.Count && NounFollowers.Contains(Bare(words[i + 1]))) return true;
        var j = i - 1;
        if (j >= 0 && IsAmount(words, j)) j--;
        if (j >= 1 && IsAmount(words, j - 1) && Bare(words[j]) is "dollars" or "dollar" or "bucks") j -= 2;
        return j >= 0 && Determiners.Contains(Bare(words[j]));
    }

    /// <summary>
    /// A credit written without a verb, amount and customer first and next to each other: "$20 to ACME-19, item arrived
    /// broken", "ACME-19 $20 late delivery". Anything looser ("the $20 charge on ACME-5") is a mention, not an order.
    /// </summary>
    private static bool Verbless(IReadOnlyList<string> words)
    {
        // "ACME-204 - $9 - late": dashes and other marks between the parts are not words.
        words = words.Where(w => w.Any(char.IsLetterOrDigit) || w.Any(c => c is '$' or '€' or '£')).ToList();
        if (words.Count < 2) return false;
        bool IsCustomer(int i) => i < words.Count && Customer().IsMatch(Bare(words[i]));
        var amountWords = IsAmount(words, 0) ? (Amount().IsMatch(Bare(words[0])) ? 1 : 2) : 0;
        if (amountWords > 0)
        {
            if (IsCustomer(amountWords)) return true;
            // "$20 to ACME-19", and with a word or two of the reason between: "$25 goodwill to ACME-301".
            for (var i = amountWords + 1; i < words.Count && i <= amountWords + 3; i++)
                if (Between.Contains(words[i - 1]) && IsCustomer(i)) return true;
            return false;
        }
        return IsCustomer(0) && IsAmount(words, 1);
    }

    /// <summary>
    /// "refund of $19 for ACME-4410, arrived broken", "credit of $5 to ACME-9": a credit named as a noun, its amount and
    /// customer right after. It may be an order or the start of a report, so it is asked, never applied.
    /// </summary>
    public static bool IsNamedCredit(IReadOnlyList<string> words) =>
        words.Count >= 5 && Bare(words[0]) is "credit" or "refund" && Bare(words[1]) == "of" && IsAmount(words, 2)
        && Between.Contains(Bare(words[3])) && Customer().IsMatch(Bare(words[4])) && !words.Skip(5).Any(w => Mentions.Contains(Bare(w)) || Negations.Contains(Bare(w)));

    /// <summary>True when the word at <paramref name="i"/> is an amount with its currency ("$25", "25 dollars").</summary>
    public static bool IsAmount(IReadOnlyList<string> words, int i) =>
        Amount().IsMatch(Bare(words[i]))
        || (Number().IsMatch(Bare(words[i])) && i + 1 < words.Count && Bare(words[i + 1]) is "dollars" or "dollar" or "bucks" or "usd" or "eur" or "gbp");

    public static string Bare(string word) => word.Trim(',', '.', ';', ':', '!', '?', '(', ')', '"', '\'');

    [GeneratedRegex(@"^(?:[$€£]\d[\d,]*(?:\.\d{1,2})?|\d[\d,]*(?:\.\d{1,2})?[$€£]|(?:usd|eur|gbp)\d[\d,]*(?:\.\d{1,2})?)$")]
    private static partial Regex Amount();

    [GeneratedRegex(@"^\d[\d,]*(?:\.\d{1,2})?$")]
    private static partial Regex Number();

    [GeneratedRegex(@"^(?:[a-z]{2,}-?\d[a-z0-9-]*|#\d+)$")]
    private static partial Regex Customer();
}
