using System.Text.RegularExpressions;
using EmpowerBot.Budget;

namespace EmpowerBot.Conversation;

/// <summary>
/// Recognises a question about a credit ("can I give ACME-9 $40 for a missing item?", "is $120 ok for ACME-1?",
/// "give ACME-9 $40?") and says how to write it as "ask credit …", which the ask command answers with what the policy
/// would decide. A question never moves money, so anything that reads as a credit and asks about it lands here, not at
/// the credit command. Reports about money ("ACME-5 called about a $20 invoice?") and questions about the budget or how
/// refunds work are neither.
/// </summary>
public static partial class CreditQuestion
{
    /// <summary>The command word a credit question is rephrased with.</summary>
    public const string Head = "ask";

    /// <summary>Words that give money but that the parser does not read: replaced by "credit".</summary>
    private static readonly HashSet<string> OtherVerbs = ["comp", "compensate", "reimburse"];

    /// <summary>Words that give money only when an amount goes with them: "can you put $10 on ACME-33?", not "can I add a note?".</summary>
    private static readonly HashSet<string> AmountVerbs = ["put", "add", "issue", "do"];

    /// <summary>A credit wondered about in the past tense after a lead-in: "what if I gave ACME-42 $60?".</summary>
    private static readonly HashSet<string> WonderedVerbs = ["gave", "credited", "refunded", "comped", "did"];

    /// <summary>"is $120 ok", "would $35 be within policy", "would a $25 credit need approval": the words that ask, left out of the credit.</summary>
    private static readonly HashSet<string> PolicyWords =
        ["be", "ok", "okay", "fine", "alright", "allowed", "acceptable", "within", "policy", "too", "much", "possible", "good", "need", "needs",
         "require", "requires", "approval", "sign-off", "signoff"];

    /// <summary>Words that open a question about an amount: "is $120 ok for ACME-1?".</summary>
    private static readonly HashSet<string> AmountQuestionWords = ["is", "would", "will", "could", "can", "should", "are", "does"];

    /// <summary>
    /// The head to write in front ("ask" or "ask credit") and the word positions to leave out, or null when the message is
    /// not a question about a credit. <paramref name="question"/>: the message has a question mark in it.
    /// </summary>
    public static (string Head, IReadOnlySet<int> Drop)? Read(IReadOnlyList<string> words, bool question)
    {
        if (words.Count < 2) return null;
        // A maybe, a plan or a customer's wish ("maybe give ACME-711 $10", "ACME-707 demanded a $100 refund") is asked
        // as a question: the rep sees what the policy would decide, and nothing moves until they click.
        question = question || CreditSentence.IsHedged(words);
        if (CreditSentence.IsNamedCredit(words)) return (Head + " credit", new HashSet<int> { 0, 1 });
        var text = string.Join(' ', words);
        if (LeadIn().Match(text) is { Success: true } m && text.Any(char.IsAsciiDigit))
        {
            var taken = m.Value.TrimEnd().Split(' ').Length;
            if (taken < words.Count && AsVerb(words, taken, Enumerable.Range(0, taken)) is { } led) return led;
            // "do I need approval for $150 to ACME-123": a credit without a verb after the question.
            if (taken < words.Count && CreditSentence.Reorder(words.Skip(taken).ToList(), question: false) is { } rest)
                return (Head + " credit", Enumerable.Range(0, taken).Concat(rest.Select(i => i + taken)).ToHashSet());
        }
        var amount = Enumerable.Range(0, words.Count).Any(i => CreditSentence.IsAmount(words, i));
        var asksPolicy = words.Skip(1).Any(w => PolicyWords.Contains(CreditSentence.Bare(w)));
        if (AmountQuestionWords.Contains(words[0]) && amount && asksPolicy && !words.Skip(1).Any(w => CreditSentence.Mentions.Contains(CreditSentence.Bare(w))))
        {
            // "would a $25 credit to ACME-5561 need approval": the article and the credit named as a noun go too.
            var drop = Enumerable.Range(0, words.Count).Where(i => i == 0 || PolicyWords.Contains(CreditSentence.Bare(words[i]))
                || (i == 1 && words[i] is "a" or "an") || (i > 0 && CreditSentence.IsAmount(words, i - 1) && CreditSentence.Bare(words[i]) is "credit" or "refund")).ToHashSet();
            return (Head + " credit", drop);
        }
        if (!question) return null;
        if (AsVerb(words, 0, []) is { } asked) return asked;
        return CreditSentence.Reorder(words, question: false) is { } reordered ? (Head + " credit", reordered) : null;
    }

    /// <summary>The credit whose verb is at <paramref name="at"/>, after the lead-in <paramref name="before"/>.</summary>
    private static (string, IReadOnlySet<int>)? AsVerb(IReadOnlyList<string> words, int at, IEnumerable<int> before)
    {
        var verb = CreditSentence.Bare(words[at]);
        // "credit history?" and "credit rules?" name other commands, whatever the question mark says.
        if (CreditSentence.ParserVerbs.Contains(verb)) return CreditParser.Recognizes(string.Join(' ', words.Skip(at))) ? (Head, before.ToHashSet()) : null;
        if (OtherVerbs.Contains(verb) || (at > 0 && WonderedVerbs.Contains(verb) && Enumerable.Range(at, words.Count - at).Any(i => CreditSentence.IsAmount(words, i)))
            || (AmountVerbs.Contains(verb) && !(verb == "do" && at == 0) && Enumerable.Range(at, words.Count - at).Any(i => CreditSentence.IsAmount(words, i))))
            return (Head + " credit", before.Append(at).ToHashSet());
        return null;
    }

    /// <summary>"can I", "am I allowed to", "is it ok to", "do I need approval to", "what if I"…: a question about doing what follows.</summary>
    [GeneratedRegex(@"^(?:(?:hey|so|ok|okay|quick question|qq|question)[,:]? )?(?:(?:can|could|may|should|shall|would|will|might) (?:i|we|you|u)(?: please| just| maybe| also| still)?|(?:am i|are we|is it|would it be|will it be|is that)(?: still)? (?:allowed|able|ok|okay|fine|alright|possible|within policy)(?: for me| if i| to)*|(?:is it|would it be) (?:ok|okay|fine|alright) if (?:i|we)|(?:ok|okay|fine|alright) (?:if i|to)|do i (?:need|have to) (?:ask|approval|a manager|permission|my manager)(?: for)?(?: to)?|i wonder if i (?:can|could)|what if (?:i|we)(?: just)?|suppose (?:i|we))(?= |$)")]
    private static partial Regex LeadIn();
}
