namespace EmpowerBot.Obstacles;

/// <summary>
/// How alike two obstacles read: TF-IDF cosine over their content words (<see cref="ObstacleWords"/>), blended with
/// TF-IDF cosine over character trigrams of those words, which forgives small typos ("realy", "deliverey").
/// Both are bags, so word order does not matter. Document frequencies come from the texts it is built with: at submit
/// time, the tenant's open obstacles and the new one, so words every obstacle shares ("customer") weigh little.
/// </summary>
public sealed class ObstacleMatcher
{
    /// <summary>
    /// Scores at or above this are "similar". Chosen on the tuning pairs of
    /// tests/EmpowerBot.Tests/Obstacles/similarity-pairs.json as the value with the best balance of precision (a wrong
    /// "is it this one?" costs a click and some trust) and recall; that test prints the figures, hold-out pairs included.
    /// </summary>
    public const double Threshold = 0.57;

    /// <summary>Weight of the word cosine; the rest goes to the trigram cosine.</summary>
    public const double WordWeight = 0.6;

    private readonly Dictionary<string, int> wordDf = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> gramDf = new(StringComparer.Ordinal);
    private readonly int documents;

    public ObstacleMatcher(IEnumerable<string> corpus)
    {
        foreach (var text in corpus)
        {
            documents++;
            var terms = ObstacleTerms.Of(text);
            foreach (var w in terms.Words) wordDf[w] = wordDf.GetValueOrDefault(w) + 1;
            foreach (var g in terms.Grams) gramDf[g] = gramDf.GetValueOrDefault(g) + 1;
        }
    }

    /// <summary>0 (nothing in common) to 1 (the same content words).</summary>
    public double Similarity(string a, string b) =>
        Score(ObstacleTerms.Of(a), ObstacleTerms.Of(b), documents, w => wordDf.GetValueOrDefault(w), g => gramDf.GetValueOrDefault(g));

    /// <summary>
    /// The score of two texts' terms against a corpus of <paramref name="documents"/> texts in which each word and
    /// trigram occurs in <paramref name="wordDf"/> and <paramref name="gramDf"/> of them: the one formula every caller uses.
    /// </summary>
    public static double Score(ObstacleTerms a, ObstacleTerms b, int documents, Func<string, int> wordDf, Func<string, int> gramDf)
    {
        if (a.WordList.Count == 0 || b.WordList.Count == 0) return 0;
        var words = Cosine(a.WordCounts, b.WordCounts, documents, wordDf);
        var grams = Cosine(a.GramCounts, b.GramCounts, documents, gramDf);
        return WordWeight * words + (1 - WordWeight) * grams;
    }

    /// <summary>Character trigrams of each word padded with spaces: " mail" gives " ma", "mai", "ail", "il ".</summary>
    public static IEnumerable<string> Trigrams(IEnumerable<string> words)
    {
        foreach (var word in words)
        {
            var padded = " " + word + " ";
            for (var i = 0; i + 3 <= padded.Length; i++) yield return padded.Substring(i, 3);
        }
    }

    // TF-IDF vectors with sublinear term frequency and smoothed IDF (as scikit-learn's TfidfVectorizer(smooth_idf,
    // sublinear_tf)), so a term unseen in the corpus still counts and a word said twice does not count double; their
    // cosine, with each term's IDF looked up once.
    private static double Cosine(IReadOnlyDictionary<string, int> a, IReadOnlyDictionary<string, int> b, int documents, Func<string, int> df)
    {
        double dot = 0, na = 0, nb = 0;
        foreach (var (term, count) in a)
        {
            var idf = Math.Log((1.0 + documents) / (1.0 + df(term))) + 1.0;
            var weight = (1.0 + Math.Log(count)) * idf;
            na += weight * weight;
            if (b.TryGetValue(term, out var other)) dot += weight * (1.0 + Math.Log(other)) * idf;
        }
        foreach (var (term, count) in b)
        {
            var weight = (1.0 + Math.Log(count)) * (Math.Log((1.0 + documents) / (1.0 + df(term))) + 1.0);
            nb += weight * weight;
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb);
    }
}

/// <summary>A text's content words and their trigrams, as listed (for term frequency) and distinct (for document frequency).</summary>
public sealed record ObstacleTerms(IReadOnlyList<string> WordList, IReadOnlyList<string> GramList)
{
    /// <summary>Each distinct word and how often it occurs.</summary>
    public IReadOnlyDictionary<string, int> WordCounts { get; } = Counts(WordList);

    /// <summary>Each distinct trigram and how often it occurs.</summary>
    public IReadOnlyDictionary<string, int> GramCounts { get; } = Counts(GramList);

    public IEnumerable<string> Words => WordCounts.Keys;

    public IEnumerable<string> Grams => GramCounts.Keys;

    public bool Holds(string word) => WordCounts.ContainsKey(word);

    public bool HoldsGram(string gram) => GramCounts.ContainsKey(gram);

    private static Dictionary<string, int> Counts(IReadOnlyList<string> terms)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var t in terms) counts[t] = counts.GetValueOrDefault(t) + 1;
        return counts;
    }

    public static ObstacleTerms Of(string text)
    {
        var words = ObstacleWords.Of(text);
        return new ObstacleTerms(words, ObstacleMatcher.Trigrams(words).ToList());
    }
}
