using System.Runtime.CompilerServices;
using EmpowerBot.Policy;

namespace EmpowerBot.Budget;

/// <summary>
/// Finds a configured reason in what a rep wrote: by name or alias, ignoring case and punctuation
/// ("late-delivery"), anywhere in a longer phrase ("because the package was late"), forgiving a small typo
/// in each word ("late delivrey", "damagd", "biling error").
/// </summary>
public sealed class ReasonMatcher
{
    private readonly IReadOnlyList<(ReasonDefinition Reason, string[] Words)> phrases;

    // A team's reasons are a list fixed when the policy is read: its matcher is built once and lives as long as it does.
    private static readonly ConditionalWeakTable<IReadOnlyList<ReasonDefinition>, ReasonMatcher> Built = new();

    /// <summary>The matcher of a policy's reason list, built on first use.</summary>
    public static ReasonMatcher For(IReadOnlyList<ReasonDefinition> reasons) => Built.GetValue(reasons, r => new ReasonMatcher(r));

    public ReasonMatcher(IEnumerable<ReasonDefinition> reasons)
    {
        phrases = reasons
            .SelectMany(r => r.Aliases.Prepend(r.Name).Select(p => (r, Words(p))))
            .Where(p => p.Item2.Length > 0)
            .ToArray();
    }

    /// <summary>
    /// The reason whose name or alias appears in the text. When several do, the one written with the fewest
    /// typos wins, then the longest phrase (the most specific), then the one mentioned first.
    /// </summary>
    public ReasonDefinition? Match(string? text) => MatchAll(text).FirstOrDefault();

    /// <summary>
    /// Every reason the text names in words of its own, best first (as <see cref="Match"/> ranks them). A reason found
    /// only in words a better one already took ("late delivery" is not also "delivery delay") does not count, so more
    /// than one means the text really names two reasons ("late and damaged").
    /// </summary>
    public IReadOnlyList<ReasonDefinition> MatchAll(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || phrases.Count == 0) return [];
        var words = Words(text);
        var best = new Dictionary<ReasonDefinition, Hit>();
        foreach (var (reason, phrase) in phrases)
        {
            if (Find(words, phrase) is { } hit && (!best.TryGetValue(reason, out var known) || hit.IsBetterThan(known)))
                best[reason] = hit;
        }
        var ranked = best.OrderBy(b => b.Value, Comparer<Hit>.Create((x, y) => x.IsBetterThan(y) ? -1 : y.IsBetterThan(x) ? 1 : 0));
        var taken = new List<Hit>();
        var found = new List<ReasonDefinition>();
        foreach (var (reason, hit) in ranked)
        {
            if (taken.Any(t => t.Overlaps(hit))) continue;
            taken.Add(hit);
            found.Add(reason);
        }
        return found;
    }

    /// <summary>True when the phrase appears in the text, with the same tolerance as reasons.</summary>
    public static bool Contains(string? text, string phrase)
    {
        var expected = Words(phrase);
        return text is not null && expected.Length > 0 && Find(Words(text), expected) is not null;
    }

    /// <summary>
    /// True when every word of the phrase stands within a span of the phrase's length plus two words, in any order,
    /// with the same tolerance as reasons: "refund them in cash" holds "cash refund".
    /// </summary>
    public static bool ContainsInAnyOrder(string? text, string phrase)
    {
        var expected = Words(phrase);
        if (text is null || expected.Length == 0) return false;
        var words = Words(text);
        for (var i = 0; i < words.Length; i++)
        {
            // A span is tried only from a word of the phrase, so each is tried once and a long text stays linear.
            if (expected.Any(e => Distance(words[i], e) >= 0) && CoversAll(words, i, Math.Min(words.Length, i + expected.Length + 2), expected))
                return true;
        }
        return false;
    }

    private static bool CoversAll(string[] words, int from, int to, string[] expected)
    {
        var taken = new bool[to - from];
        foreach (var e in expected)
        {
            var k = Enumerable.Range(from, to - from).FirstOrDefault(j => !taken[j - from] && Distance(words[j], e) >= 0, -1);
            if (k < 0) return false;
            taken[k - from] = true;
        }
        return true;
    }

    /// <summary>The phrase as matching sees it: lower-case words, so "Late-Delivery!" and "late delivery" are one.</summary>
    public static string Key(string? text) => string.Join(' ', Words(text ?? ""));

    /// <summary>Lower-case words of letters and digits; everything else separates words, except what nobody can see.</summary>
    public static string[] Words(string text)
    {
        text = InvisibleText.Remove(text) ?? text;
        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (inWord && start < 0) start = i;
            else if (!inWord && start >= 0)
            {
                words.Add(text[start..i].ToLowerInvariant());
                start = -1;
            }
        }
        return words.ToArray();
    }

    /// <summary>
    /// How many typos a word may carry and still count: none when either word is under 4 letters (too many
    /// short words are one letter apart: "lat", "lot"), 1 up to 7 letters, 2 beyond. The first letter must be
    /// right: people rarely mistype it, and requiring it keeps "rate" from passing for "late".
    /// </summary>
    internal static int Distance(string word, string expected)
    {
        if (word == expected) return 0;
        var length = Math.Min(word.Length, expected.Length);
        var allowed = length < 4 ? 0 : length <= 7 ? 1 : 2;
        if (allowed == 0 || Math.Abs(word.Length - expected.Length) > allowed || word[0] != expected[0]) return -1;
        var d = OptimalStringAlignment(word, expected);
        return d <= allowed ? d : -1;
    }

    private static Hit? Find(string[] words, string[] phrase)
    {
        Hit? best = null;
        for (var i = 0; i + phrase.Length <= words.Length; i++)
        {
            var total = 0;
            for (var j = 0; j < phrase.Length && total >= 0; j++)
            {
                var d = Distance(words[i + j], phrase[j]);
                total = d < 0 ? -1 : total + d;
            }
            if (total < 0 || (best is { } b && b.Typos <= total)) continue;
            best = new Hit(total, phrase.Length, i);
            if (total == 0) break;
        }
        return best;
    }

    /// <summary>Damerau-Levenshtein distance, restricted form: an adjacent swap counts as one edit.</summary>
    private static int OptimalStringAlignment(string a, string b)
    {
        var previous2 = new int[b.Length + 1];
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    current[j] = Math.Min(current[j], previous2[j - 2] + 1);
            }
            (previous2, previous, current) = (previous, current, previous2);
        }
        return previous[b.Length];
    }

    private readonly record struct Hit(int Typos, int Words, int Position)
    {
        public bool Overlaps(Hit other) => Position < other.Position + other.Words && other.Position < Position + Words;

        public bool IsBetterThan(Hit other) =>
            Typos != other.Typos ? Typos < other.Typos
            : Words != other.Words ? Words > other.Words
            : Position < other.Position;
    }
}
