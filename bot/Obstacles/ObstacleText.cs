using System.Text.RegularExpressions;

namespace EmpowerBot.Obstacles;

/// <summary>A typed submission: what it is, the text as typed (minus the command words), and whether it is anonymous.</summary>
public sealed record TypedObstacle(ObstacleKind Kind, string Text, bool Anonymous);

/// <summary>"obstacle 12 fixed Routed to billing": which obstacle, the status asked for (or the word that is none), the note.</summary>
public sealed record TriageRequest(long Id, ObstacleStatus? Status, string? UnknownWord, string? Note);

/// <summary>
/// Reads obstacle commands from the text as typed, so a stored obstacle keeps its case, punctuation and markup.
/// Recognition works on the normalised text (<see cref="Conversation.CommandText"/>) like every other command.
/// </summary>
public static partial class ObstacleText
{
    /// <summary>Longest obstacle or idea accepted, in characters: a paragraph, not a report.</summary>
    public const int MaxLength = 1000;

    private static readonly (string[] Words, ObstacleStatus Status)[] StatusPhrases =
    [
        (["in", "progress"], ObstacleStatus.InProgress), (["in-progress"], ObstacleStatus.InProgress), (["inprogress"], ObstacleStatus.InProgress),
        (["working", "on", "it"], ObstacleStatus.InProgress), (["started"], ObstacleStatus.InProgress),
        (["acknowledged"], ObstacleStatus.Acknowledged), (["acknowledge"], ObstacleStatus.Acknowledged), (["ack"], ObstacleStatus.Acknowledged),
        (["fixed"], ObstacleStatus.Fixed), (["fix"], ObstacleStatus.Fixed), (["done"], ObstacleStatus.Fixed), (["resolved"], ObstacleStatus.Fixed),
        (["wontfix"], ObstacleStatus.WontFix), (["won't", "fix"], ObstacleStatus.WontFix), (["wont", "fix"], ObstacleStatus.WontFix),
        (["won't-fix"], ObstacleStatus.WontFix), (["wont-fix"], ObstacleStatus.WontFix), (["will", "not", "fix"], ObstacleStatus.WontFix),
        (["declined"], ObstacleStatus.WontFix), (["reopen"], ObstacleStatus.Open), (["reopened"], ObstacleStatus.Open),
    ];

    /// <summary>"obstacle …", "anonymous idea …" and the like, for <paramref name="kind"/>.</summary>
    public static bool IsSubmission(string normalized, ObstacleKind kind) => Submission().Match(normalized) is { Success: true } m && m.Groups["kind"].Value == kind.Word();

    /// <summary>"obstacle 12" or "idea #12" alone: show that one.</summary>
    public static bool IsReference(string normalized, out long id)
    {
        var m = Reference().Match(normalized);
        id = m.Success && m.Groups["rest"].Value.Length == 0 && long.TryParse(m.Groups["id"].Value, out var n) ? n : 0;
        return id > 0;
    }

    /// <summary>"obstacle 12 fixed …" (a status phrase first), or "obstacle 12 finished" (one word: a status that does not exist).</summary>
    public static bool IsTriage(string normalized)
    {
        var m = Reference().Match(normalized);
        if (!m.Success || m.Groups["rest"].Value.Length == 0) return false;
        var words = Words(m.Groups["rest"].Value);
        return words.Count == 1 || MatchStatus(words) is not null;
    }

    public static TypedObstacle ReadSubmission(string raw, ObstacleKind kind)
    {
        var s = LeadingMentions().Replace(raw, "").Trim();
        var anonymous = TakeLeading(ref s, AnonymousWord());
        TakeLeading(ref s, KindWord());
        anonymous |= TakeLeading(ref s, AnonymousWord());
        if (TrailingAnonymous().Match(s) is { Success: true } tail)
        {
            s = s[..tail.Index];
            anonymous = true;
        }
        return new TypedObstacle(kind, s.Trim(), anonymous);
    }

    public static TriageRequest ReadTriage(string raw)
    {
        var s = LeadingMentions().Replace(raw, "").Trim();
        TakeLeading(ref s, KindWord());
        var id = IdWord().Match(s);
        long.TryParse(id.Groups["id"].Value, out var number);
        s = s[id.Length..].TrimStart();
        var words = Words(s);
        if (MatchStatus(words) is not { } found)
        {
            return new TriageRequest(number, null, words.FirstOrDefault() ?? "", null);
        }
        // The note is what follows the status words, as typed.
        var rest = s;
        for (var i = 0; i < found.Length; i++)
        {
            rest = rest.TrimStart();
            var space = rest.IndexOfAny([' ', '\t', '\n', '\r']);
            rest = space < 0 ? "" : rest[space..];
        }
        var note = rest.Trim().TrimStart(':', '-', '–', '—', ',').Trim();
        return new TriageRequest(number, found.Status, null, note.Length == 0 ? null : note);
    }

    private static (ObstacleStatus Status, int Length)? MatchStatus(IReadOnlyList<string> words)
    {
        foreach (var (phrase, status) in StatusPhrases.OrderByDescending(p => p.Words.Length))
        {
            if (words.Count >= phrase.Length && phrase.Select((w, i) => w == words[i]).All(x => x)) return (status, phrase.Length);
        }
        return null;
    }

    private static List<string> Words(string text) => text
        .Split([' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)
        .Select(w => w.ToLowerInvariant().Replace('\u2019', '\'').TrimEnd(':', ',', '.', ';', '!'))
        .Where(w => w.Length > 0)
        .ToList();

    private static bool TakeLeading(ref string s, Regex word)
    {
        var m = word.Match(s);
        if (!m.Success) return false;
        s = s[m.Length..].TrimStart();
        return true;
    }

    [GeneratedRegex(@"^(anonymous(ly)?\s+)?(?<kind>obstacle|idea)(?=$|[\s:,])")]
    private static partial Regex Submission();

    [GeneratedRegex(@"^(?<kind>obstacle|idea)\s+#?(?<id>\d{1,18})[:.]?(\s+(?<rest>.*))?$")]
    private static partial Regex Reference();

    [GeneratedRegex(@"^(<at>.*?</at>\s*)+", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex LeadingMentions();

    [GeneratedRegex(@"^anonymous(ly)?(?=$|[\s:,\-])[\s:,\-–—]*", RegexOptions.IgnoreCase)]
    private static partial Regex AnonymousWord();

    [GeneratedRegex(@"^(obstacle|idea)(?=$|[\s:,])[\s:,\-–—]*", RegexOptions.IgnoreCase)]
    private static partial Regex KindWord();

    [GeneratedRegex(@"^#?(?<id>\d{1,18})[:.]?", RegexOptions.None)]
    private static partial Regex IdWord();

    [GeneratedRegex(@"[\s,;\-–—]*\(?\banonymously\b\)?[.!]?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex TrailingAnonymous();
}
