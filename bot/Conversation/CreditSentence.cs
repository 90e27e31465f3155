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
    private static readonly HashSet<string> Verbs = ["credit", "refund", "give", "gets", "get", "comp", "compensate", "reimburse", "apply"];

    /// <summary>Words that make a message a report or a question about money rather than an order to move it.</summary>
    public static readonly HashSet<string> Mentions =
    [
        "about", "asked", "called", "wants", "wanted", "emailed", "complained", "says", "said", "received", "did", "was",
        "were", "got", "had", "has", "invoice", "charged", "paid", "owes", "bill",
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
        bool amount = false, customer = false;
        for (var i = 0; i < words.Count; i++)
        {
            var w = Bare(words[i]);
            if (Mentions.Contains(w)) return null;
            if (verb < 0 && Verbs.Contains(w)) verb = i;
            else if (IsAmount(words, i)) amount = true;
            else if (Customer().IsMatch(w)) customer = true;
        }
        if (verb < 0 || !amount || !customer) return null;
        // Words before the verb that are neither the amount nor the customer are a lead-in: "I'd like to", "please".
        var before = Enumerable.Range(0, verb).ToList();
        var leadIn = before.All(i => !IsAmount(words, i) && !Customer().IsMatch(Bare(words[i])));
        return (leadIn ? before.Append(verb) : [verb]).ToHashSet();
    }

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
