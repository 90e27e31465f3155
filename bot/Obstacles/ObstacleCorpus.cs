using System.Collections.Concurrent;
using System.Collections.Immutable;
using EmpowerBot.Budget;
using EmpowerBot.Storage;

namespace EmpowerBot.Obstacles;

/// <summary>
/// Each instance's picture of a tenant's board, so `obstacles`, the similar check and the team view cost the same on a
/// board of ten obstacles as on one of ten thousand. A turn reads the counter row (one point read); when its version
/// moved on, the instance reads the change rows since its own version and the obstacles they name, and nothing else
/// (<see cref="ObstacleChanges"/> writes both in the batch of every change, so what a turn sees is never older than
/// what was acknowledged before it, on any instance). An instance that starts, or fell further behind than the change
/// rows kept, reads the board once.
/// </summary>
public sealed class ObstacleCorpus(ITableStore store, ObstacleBoard board, TimeProvider clock, ILogger<ObstacleCorpus> log)
{
    /// <summary>Tenants whose boards one instance keeps; the least recently used one is dropped past this.</summary>
    public const int MaxTenants = 512;

    /// <summary>Closed obstacles are kept this long after their last change, for "fixed this month".</summary>
    public static readonly TimeSpan ClosedKept = TimeSpan.FromDays(62);

    private sealed class Entry
    {
        public readonly SemaphoreSlim Gate = new(1, 1);
        public volatile ObstacleSnapshot? Snapshot;
        public long LastUsed;
    }

    private readonly ConcurrentDictionary<string, Entry> tenants = new(StringComparer.Ordinal);

    /// <summary>The tenant's board as of the counter read now.</summary>
    public async Task<ObstacleSnapshot> CurrentAsync(string tenantId, CancellationToken ct)
    {
        var version = await VersionAsync(tenantId, ct);
        if (!tenants.TryGetValue(tenantId, out var entry))
        {
            entry = tenants.GetOrAdd(tenantId, _ => new Entry());
            if (tenants.Count > MaxTenants) Evict();
        }
        entry.LastUsed = Environment.TickCount64;
        if (entry.Snapshot is { } seen && seen.Version == version) return seen;
        await entry.Gate.WaitAsync(ct);
        try
        {
            var snapshot = entry.Snapshot;
            if (snapshot is not null && snapshot.Version >= version)
            {
                if (snapshot.Version == version) return snapshot;
                // Newer than this turn's read (another turn caught up meanwhile), or the counter went back (rewritten by
                // an earlier version of the bot): only the second needs the board read again.
                version = await VersionAsync(tenantId, ct);
                if (snapshot.Version <= version) return snapshot;
                snapshot = null;
            }
            snapshot = snapshot is null || version - snapshot.Version > ObstacleRows.ChangesKept
                ? await LoadAsync(tenantId, version, ct)
                : await CatchUpAsync(tenantId, snapshot, version, ct) ?? await LoadAsync(tenantId, version, ct);
            entry.Snapshot = snapshot;
            return snapshot;
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    private async Task<long> VersionAsync(string tenantId, CancellationToken ct) =>
        ObstacleRows.ReadVersion(await store.GetAsync(Tables.Obstacles, ObstacleRows.Partition(tenantId), ObstacleRows.CounterRow, ct));

    /// <param name="version">The counter's version, read before the board: a change landing while the board is read is
    /// then applied again by the next catch-up.</param>
    private async Task<ObstacleSnapshot> LoadAsync(string tenantId, long version, CancellationToken ct)
    {
        var all = await board.AllAsync(tenantId, ct);
        var since = clock.GetUtcNow() - ClosedKept;
        var snapshot = ObstacleSnapshot.Of(version, all.Where(o => !o.IsClosed || (o.LastChange?.At ?? o.CreatedAt) >= since));
        log.LogDebug("Obstacle board read: {Count} obstacles at version {Version}", all.Count, version);
        return snapshot;
    }

    /// <summary>The snapshot moved on to <paramref name="version"/>; null when change rows it needs are gone.</summary>
    private async Task<ObstacleSnapshot?> CatchUpAsync(string tenantId, ObstacleSnapshot snapshot, long version, CancellationToken ct)
    {
        var partition = ObstacleRows.Partition(tenantId);
        var rows = await store.QueryAsync(Tables.Obstacles, partition, ObstacleRows.ChangeRow(snapshot.Version + 1), ObstacleRows.ChangeRow(version + 1), ct).ToListAsync(ct);
        if (rows.Count != version - snapshot.Version) return null;
        var ids = rows.Select(r => (int)r.GetInt64("obstacle")).Distinct().ToList();
        var changed = await Task.WhenAll(ids.Select(id => board.GetAsync(tenantId, id, ct)));
        return snapshot.With(version, changed.OfType<Obstacle>());
    }

    private void Evict()
    {
        var oldest = tenants.OrderBy(t => t.Value.LastUsed).Take(tenants.Count - MaxTenants).Select(t => t.Key).ToList();
        foreach (var key in oldest) tenants.TryRemove(key, out _);
    }
}

/// <summary>
/// One version of a tenant's board, immutable: the open obstacles and ideas ranked as `obstacles` lists them (most
/// backed, then newest), the recently closed ones, and the similar check's statistics (how many open texts hold each
/// word and trigram, and which open obstacles hold each word), all updated per change rather than rebuilt.
/// </summary>
public sealed class ObstacleSnapshot
{
    private readonly record struct Rank(int Votes, int Id) : IComparable<Rank>
    {
        public int CompareTo(Rank other) => Votes != other.Votes ? other.Votes.CompareTo(Votes) : other.Id.CompareTo(Id);
    }

    private ImmutableDictionary<int, Obstacle> open = ImmutableDictionary<int, Obstacle>.Empty;
    private ImmutableDictionary<int, Obstacle> closed = ImmutableDictionary<int, Obstacle>.Empty;
    private ImmutableSortedSet<(DateTimeOffset At, int Id)> closedByTime = ImmutableSortedSet<(DateTimeOffset At, int Id)>.Empty;
    private ImmutableSortedSet<Rank> ranking = ImmutableSortedSet<Rank>.Empty;
    private ImmutableDictionary<int, ObstacleTerms> terms = ImmutableDictionary<int, ObstacleTerms>.Empty;
    private ImmutableDictionary<string, int> wordDf = ImmutableDictionary.Create<string, int>(StringComparer.Ordinal);
    private ImmutableDictionary<string, int> gramDf = ImmutableDictionary.Create<string, int>(StringComparer.Ordinal);
    private ImmutableDictionary<string, ImmutableHashSet<int>> postings = ImmutableDictionary.Create<string, ImmutableHashSet<int>>(StringComparer.Ordinal);

    public long Version { get; private init; }

    public int OpenCount => open.Count;

    /// <summary>The open ones most backed first, then the newest.</summary>
    public IEnumerable<Obstacle> Ranked => ranking.Select(r => open[r.Id]);

    public static ObstacleSnapshot Of(long version, IEnumerable<Obstacle> obstacles) => new ObstacleSnapshot().With(version, obstacles);

    /// <summary>A new snapshot at <paramref name="version"/> with these obstacles as they now stand.</summary>
    public ObstacleSnapshot With(long version, IEnumerable<Obstacle> changed)
    {
        var o = open.ToBuilder();
        var c = closed.ToBuilder();
        var ct = closedByTime.ToBuilder();
        var r = ranking.ToBuilder();
        var t = terms.ToBuilder();
        var w = wordDf.ToBuilder();
        var g = gramDf.ToBuilder();
        var p = postings.ToBuilder();
        foreach (var obstacle in changed)
        {
            if (o.TryGetValue(obstacle.Id, out var before))
            {
                o.Remove(before.Id);
                r.Remove(new Rank(before.Votes, before.Id));
                var gone = t[before.Id];
                t.Remove(before.Id);
                foreach (var word in gone.Words)
                {
                    Count(w, word, -1);
                    var left = p[word].Remove(before.Id);
                    if (left.IsEmpty) p.Remove(word); else p[word] = left;
                }
                foreach (var gram in gone.Grams) Count(g, gram, -1);
            }
            if (c.TryGetValue(obstacle.Id, out var wasClosed))
            {
                c.Remove(obstacle.Id);
                ct.Remove((ClosedAt(wasClosed), wasClosed.Id));
            }
            if (obstacle.IsClosed)
            {
                c[obstacle.Id] = obstacle;
                ct.Add((ClosedAt(obstacle), obstacle.Id));
                continue;
            }
            o[obstacle.Id] = obstacle;
            r.Add(new Rank(obstacle.Votes, obstacle.Id));
            var added = ObstacleTerms.Of(obstacle.Text);
            t[obstacle.Id] = added;
            foreach (var word in added.Words)
            {
                Count(w, word, +1);
                p[word] = (p.TryGetValue(word, out var ids) ? ids : ImmutableHashSet<int>.Empty).Add(obstacle.Id);
            }
            foreach (var gram in added.Grams) Count(g, gram, +1);
        }
        return new ObstacleSnapshot
        {
            Version = version,
            open = o.ToImmutable(), closed = c.ToImmutable(), closedByTime = ct.ToImmutable(), ranking = r.ToImmutable(), terms = t.ToImmutable(),
            wordDf = w.ToImmutable(), gramDf = g.ToImmutable(), postings = p.ToImmutable(),
        };
    }

    private static DateTimeOffset ClosedAt(Obstacle o) => o.LastChange?.At ?? o.CreatedAt;

    private static void Count(ImmutableDictionary<string, int>.Builder df, string term, int by)
    {
        var n = df.GetValueOrDefault(term) + by;
        if (n <= 0) df.Remove(term); else df[term] = n;
    }

    /// <summary>Open texts scored exactly per similar check, at most: the ones sharing the rarest words with the text.</summary>
    public const int Scored = 24;

    /// <summary>Word index entries read per similar check, at most (the rarest word's are always read).</summary>
    public const int PostingsRead = 2_048;

    /// <summary>
    /// The open obstacles and ideas reading most like <paramref name="text"/>, best first, scored as
    /// <see cref="ObstacleMatcher"/> scores against the open texts and this one. Only obstacles sharing a content word
    /// with the text can reach <see cref="ObstacleMatcher.Threshold"/> (the trigram part alone weighs 0.4), so only they
    /// are candidates, found through the word index, rarest words first, up to <see cref="PostingsRead"/> entries: a word
    /// too common to fit still counts in the score, it only finds no candidates. Candidates are ranked by the words they
    /// share, each weighed by its IDF squared over the candidate's length, and the first <see cref="Scored"/> are scored
    /// exactly: on a board where that leaves none out, exactly what a full scan finds. The cost of a check is bounded by
    /// those two numbers, whatever the size of the board.
    /// </summary>
    public IReadOnlyList<Obstacle> Similar(string text, int max)
    {
        if (open.Count == 0) return [];
        var query = ObstacleTerms.Of(text);
        if (query.WordList.Count == 0) return [];
        var documents = open.Count + 1;
        int WordDf(string word) => wordDf.GetValueOrDefault(word) + (query.Holds(word) ? 1 : 0);
        int GramDf(string gram) => gramDf.GetValueOrDefault(gram) + (query.HoldsGram(gram) ? 1 : 0);
        var lists = query.Words.Select(word => (Word: word, Ids: postings.GetValueOrDefault(word)))
            .Where(l => l.Ids is not null).OrderBy(l => l.Ids!.Count).ThenBy(l => l.Word, StringComparer.Ordinal).ToList();
        var used = new List<(string Word, ImmutableHashSet<int>? Ids)>();
        var read = 0;
        foreach (var list in lists)
        {
            if (used.Count > 0 && read + list.Ids!.Count > PostingsRead) break;
            used.Add(list);
            read += list.Ids!.Count;
        }
        var shared = new Dictionary<int, double>();
        foreach (var (word, ids) in used)
        {
            var idf = Math.Log((1.0 + documents) / (1.0 + WordDf(word))) + 1.0;
            foreach (var id in ids!) shared[id] = shared.GetValueOrDefault(id) + idf * idf;
        }
        return shared
            .Select(c => (Id: c.Key, Rank: c.Value / Math.Sqrt(terms[c.Key].WordCounts.Count)))
            .OrderByDescending(c => c.Rank).ThenBy(c => c.Id)
            .Take(Scored)
            .Select(c => (Obstacle: open[c.Id], Score: ObstacleMatcher.Score(query, terms[c.Id], documents, WordDf, GramDf)))
            .Where(m => m.Score >= ObstacleMatcher.Threshold)
            .OrderByDescending(m => m.Score).ThenByDescending(m => m.Obstacle.Votes).ThenBy(m => m.Obstacle.Id)
            .Take(max)
            .Select(m => m.Obstacle)
            .ToList();
    }

    /// <summary>Obstacles fixed within <paramref name="period"/>, most backed first: the closed ones of the period only are read.</summary>
    public IEnumerable<Obstacle> FixedIn(Period period)
    {
        var first = closedByTime.IndexOf((period.Start, int.MinValue));
        var inPeriod = new List<Obstacle>();
        for (var i = first >= 0 ? first : ~first; i < closedByTime.Count && closedByTime[i].At < period.End; i++)
        {
            var o = closed[closedByTime[i].Id];
            if (o.Status == ObstacleStatus.Fixed && o.LastChange is { } change && period.Contains(change.At)) inPeriod.Add(o);
        }
        return inPeriod.OrderByDescending(o => o.Votes).ThenBy(o => o.Id);
    }
}
