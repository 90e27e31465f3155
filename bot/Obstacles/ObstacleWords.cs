using System.Text;

namespace EmpowerBot.Obstacles;

/// <summary>
/// What the similarity match compares: the content words of an obstacle, lower-cased, with stop words removed,
/// plurals and simple verb endings folded ("mailboxes" is "mailbox", "monitored" is "monitor") and a few
/// contact-centre synonyms mapped to one word ("inbox" is "mailbox"), so different phrasings of one problem meet.
/// </summary>
public static class ObstacleWords
{
    private static readonly HashSet<string> StopWords =
    [
        "a", "an", "the", "is", "are", "was", "were", "be", "been", "being", "am", "to", "of", "in", "on", "at", "for", "with",
        "by", "from", "into", "onto", "about", "and", "or", "but", "not", "no", "nor", "it", "its", "this", "that", "these",
        "those", "we", "our", "us", "i", "my", "me", "you", "your", "they", "their", "them", "he", "she", "his", "her", "there",
        "here", "when", "what", "which", "who", "whom", "how", "why", "where", "all", "any", "some", "every", "each", "very",
        "too", "so", "than", "then", "just", "also", "can", "cant", "cannot", "could", "couldnt", "would", "wouldnt", "should",
        "shouldnt", "will", "wont", "do", "does", "did", "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent", "have",
        "has", "had", "havent", "hasnt", "get", "gets", "getting", "got", "keep", "keeps", "kept", "still", "always", "never",
        "nobody", "anyone", "anybody", "someone", "somebody", "everyone", "please", "need", "needs", "really", "even", "only",
        "again", "one", "lot", "lots", "much", "many", "more", "most", "less", "if", "because", "as", "up", "out", "off", "over",
        "via", "per", "after", "before", "thing", "things", "way", "make", "makes", "made", "use", "used", "using", "im",
        "ive", "theyre", "thats", "youre", "whats", "time", "times", "far", "something", "anything", "nothing",
    ];

    // Words people use for the same thing in a contact centre: each word on the left is matched as the word on the right.
    // Both sides are stemmed when the table is built, so the table reads in plain words.
    private static readonly Dictionary<string, string> Synonyms = new (string Word, string Canonical)[]
    {
        ("inbox", "mailbox"), ("email", "mailbox"), ("mail", "mailbox"),
        ("check", "monitor"), ("read", "monitor"), ("watch", "monitor"),
        ("telephony", "phone"), ("telephone", "phone"), ("package", "parcel"),
        ("automatic", "auto"), ("autoreply", "auto"),
        ("disappear", "lose"), ("lost", "lose"), ("vanish", "lose"),
        ("froze", "freeze"), ("frozen", "freeze"), ("hang", "freeze"),
        ("supervisor", "manager"),
        ("one", "1"), ("two", "2"), ("three", "3"), ("four", "4"), ("five", "5"), ("six", "6"), ("seven", "7"),
        ("eight", "8"), ("nine", "9"), ("ten", "10"), ("twelve", "12"), ("twenty", "20"), ("thirty", "30"),
    }.ToDictionary(p => Stem(p.Word), p => Stem(p.Canonical));

    // Phrases folded before splitting into words, so "times out" and "timeout" are one word.
    private static readonly (string Phrase, string Word)[] Phrases =
    [
        ("out of date", "outdated"), ("timed out", "timeout"), ("times out", "timeout"), ("time out", "timeout"),
        ("timing out", "timeout"), ("look up", "lookup"), ("look-up", "lookup"), ("e-mail", "email"), ("auto-repl", "autorepl"),
        ("pick up", "answer"), ("picks up", "answer"), ("picked up", "answer"), ("log in", "login"), ("sign in", "login"),
        ("knowledge base", "knowledgebase"), ("caller id", "callerid"), ("call back", "callback"),
    ];

    /// <summary>The content words of <paramref name="text"/>, in order, normalised for matching.</summary>
    public static IReadOnlyList<string> Of(string text)
    {
        var lowered = " " + text.ToLowerInvariant().Replace('\u2019', '\'') + " ";
        foreach (var (phrase, word) in Phrases)
        {
            lowered = lowered.Replace(phrase, word, StringComparison.Ordinal);
        }
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (var c in lowered)
        {
            if (char.IsLetterOrDigit(c)) current.Append(c);
            else if (c is '\'' or '-' && current.Length > 0) continue; // "isn't" is "isnt", "hand-off" is "handoff"
            else Flush(current, words);
        }
        Flush(current, words);
        return words;
    }

    private static void Flush(StringBuilder current, List<string> words)
    {
        if (current.Length == 0) return;
        var word = current.ToString();
        current.Clear();
        if (StopWords.Contains(word)) return;
        var stem = Stem(word);
        if (StopWords.Contains(stem)) return;
        words.Add(Synonyms.TryGetValue(stem, out var canonical) ? canonical : stem);
    }

    /// <summary>
    /// Light stemming: plurals ("deliveries", "mailboxes", "slots"), then "-ing" and "-ed", then a final "e",
    /// so "time", "timed" and "times" meet. Not a full Porter stemmer: short words and "-ss" words are left alone.
    /// </summary>
    public static string Stem(string word)
    {
        if (word.Length <= 3 || word.All(char.IsDigit)) return word;
        var w = word;
        if (w.EndsWith("ies", StringComparison.Ordinal) && w.Length > 4) w = w[..^3] + "y";
        else if (w.EndsWith("sses", StringComparison.Ordinal)) w = w[..^2];
        else if (w.EndsWith("xes", StringComparison.Ordinal) || w.EndsWith("ches", StringComparison.Ordinal) || w.EndsWith("shes", StringComparison.Ordinal)) w = w[..^2];
        else if (w.EndsWith('s') && !w.EndsWith("ss", StringComparison.Ordinal) && !w.EndsWith("us", StringComparison.Ordinal) && !w.EndsWith("is", StringComparison.Ordinal)) w = w[..^1];

        if (w.EndsWith("ing", StringComparison.Ordinal) && w.Length >= 6) w = w[..^3];
        else if (w.EndsWith("ied", StringComparison.Ordinal) && w.Length >= 5) w = w[..^3] + "y";
        else if (w.EndsWith("ed", StringComparison.Ordinal) && w.Length >= 5) w = w[..^2];
        if (w.Length >= 4 && w[^1] == w[^2] && w[^1] is 'p' or 't' or 'g' or 'n' or 'm' or 'd') w = w[..^1]; // "dropp" → "drop"
        if (w.EndsWith('e') && w.Length >= 4) w = w[..^1];
        if (w.EndsWith('y') && w.Length >= 5 && !"aeiou".Contains(w[^2])) w = w[..^1] + "i"; // "delivery" and "deliveri" meet
        return w;
    }
}
