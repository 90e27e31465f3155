using System.Text.Json;
using EmpowerBot.Policy;
using EmpowerBot.Storage;
using static EmpowerBot.Conversation.OrganizationRows;

namespace EmpowerBot.Conversation;

/// <summary>
/// The stored organisation (its rows: <see cref="OrganizationRows"/>): one row per team and one per member in the
/// organization table's one partition, and a version row that every change moves in the same batch, so a change is
/// all-or-nothing and each instance knows from one point read whether its snapshot is current. The organisation grows
/// with the head count, not with time; its audit trail sorts after it and is never read with it.
/// </summary>
public sealed class OrganizationStore(ITableStore store, ILogger<OrganizationStore> log)
{
    private const int MaxAttempts = 8;

    /// <summary>Operations per batch besides the version row (the service takes 100 per batch).</summary>
    private const int Chunk = 99;


    /// <summary>The stored version and whether seeding finished; null when the organisation was never stored.</summary>
    public sealed record Stamp(long Version, bool Seeded, string ETag);

    /// <summary>A change to the stored organisation: a team or member written whole, or removed (a team with its members).</summary>
    public abstract record Change
    {
        public sealed record PutTeam(TeamOptions Team) : Change;
        public sealed record RemoveTeam(string TeamId) : Change;
        public sealed record PutMember(string TeamId, MemberOptions Member) : Change;
        public sealed record RemoveMember(string TeamId, string MemberKey) : Change;
        public sealed record PutRules(OrgRules Rules) : Change;
    }

    public async Task<Stamp?> StampAsync(CancellationToken ct) =>
        await store.GetAsync(Tables.Organization, Partition, VersionRow, ct) is { } row
            ? new Stamp(row.GetInt64("version"), row.GetBool("seeded"), row.ETag!)
            : null;

    /// <summary>
    /// Every stored team with its members, the organisation's rules its admins set (null: none), and the version they
    /// were read at: one read of the partition, up to the audit trail.
    /// </summary>
    public async Task<(List<TeamOptions> Teams, long Version, OrgRules? Rules)> LoadAllAsync(CancellationToken ct)
    {
        var teams = new Dictionary<string, TeamOptions>(StringComparer.OrdinalIgnoreCase);
        var members = new List<(string Team, MemberOptions Member)>();
        OrgRules? rules = null;
        long version = 0;
        // The audit trail sorts after every other row ('~'), so the organisation is read without its history.
        await foreach (var row in store.QueryAsync(Tables.Organization, Partition, null, AuditPrefix, ct))
        {
            if (row.RowKey == VersionRow) version = row.GetInt64("version");
            else if (row.RowKey.StartsWith("team|", StringComparison.Ordinal))
            {
                var (team, problem) = ReadTeam(row);
                if (team is not null) teams[team.Id] = team;
                else log.LogError("Stored team {Row} is left out: {Problem}", row.RowKey, problem);
            }
            else if (row.RowKey.StartsWith("member|", StringComparison.Ordinal) && row.GetString("team") is { } teamId) members.Add((teamId, ReadMember(row)));
            else if (row.RowKey == RulesRow && row.GetString("rules") is { } json)
            {
                rules = ReadRules(json);
                if (rules is null) log.LogError("The stored organisation rules cannot be read; each team's own apply");
            }
        }
        foreach (var (teamId, member) in members)
        {
            if (teams.TryGetValue(teamId, out var team)) team.Members.Add(member);
        }
        foreach (var team in teams.Values) team.Members.Sort((a, b) => string.CompareOrdinal(KeyOf(a), KeyOf(b)));
        return ([.. teams.Values.OrderBy(t => t.Id, StringComparer.Ordinal)], version, rules);
    }

    /// <summary>
    /// Stores the configured organisation when none is stored yet; afterwards the store is the truth and the
    /// configuration is not read again. Safe to run on several instances at once (one wins the version row, the
    /// others find it) and to crash half-way (a stamp that is not yet <c>seeded</c> is finished by the next start,
    /// writing only the rows still missing).
    /// </summary>
    public async Task SeedAsync(IReadOnlyList<TeamOptions> teams, CancellationToken ct)
    {
        var rows = teams.SelectMany(t => new[] { TeamRow(t) }.Concat(t.Members.Select(m => MemberRow(t.Id, m)))).ToList();
        for (var attempt = 1; ; attempt++)
        {
            var stamp = await StampAsync(ct);
            if (stamp is { Seeded: true }) return;
            var present = new HashSet<string>(StringComparer.Ordinal);
            if (stamp is not null)
            {
                await foreach (var row in store.QueryAsync(Tables.Organization, Partition, null, null, ct)) present.Add(row.RowKey);
            }
            var missing = rows.Where(r => !present.Contains(r.RowKey)).ToList();
            try
            {
                var etag = stamp?.ETag;
                var version = stamp?.Version ?? 0;
                var chunks = missing.Chunk(Chunk).ToList();
                if (chunks.Count == 0) chunks.Add([]);
                for (var i = 0; i < chunks.Count; i++)
                {
                    var last = i == chunks.Count - 1;
                    var versionRow = VersionEntity(++version, seeded: last);
                    var ops = new List<TableOperation> { etag is null ? TableOperation.Insert(versionRow) : TableOperation.Replace(versionRow, etag) };
                    ops.AddRange(chunks[i].Select(TableOperation.Insert));
                    etag = (await store.SubmitAsync(Tables.Organization, ops, ct))[0];
                }
                log.LogInformation("Stored the organisation from configuration: {Teams} teams, {Members} members", teams.Count, teams.Sum(t => t.Members.Count));
                return;
            }
            catch (StorageConflictException) when (attempt < MaxAttempts)
            {
                // Another instance is seeding or has seeded: look again, and finish only what is still missing.
                log.LogDebug("Organisation seeding met another instance's write; looking again");
            }
        }
    }

    /// <summary>
    /// Applies the changes, each batch moving the version, and returns the version after the last. A change that
    /// names a row already gone (a removal) is skipped; one batch holds at most 99 rows, so a large change (a team
    /// linked with hundreds of members) is several batches, each complete in itself.
    /// </summary>
    /// <param name="audit">Audit rows (<see cref="Audit"/>) written in the first batch, so the trail holds exactly what was changed.</param>
    public async Task<long> ChangeAsync(IReadOnlyList<Change> changes, CancellationToken ct, IReadOnlyList<TableEntity>? audit = null)
    {
        long version = 0;
        var first = true;
        foreach (var part in changes.Chunk(Chunk - (audit?.Count ?? 0)))
        {
            for (var attempt = 1; ; attempt++)
            {
                var stamp = await StampAsync(ct) ?? throw new InvalidOperationException("The organisation is not stored yet; it is seeded at start-up.");
                var ops = new List<TableOperation> { TableOperation.Replace(VersionEntity(stamp.Version + 1, stamp.Seeded), stamp.ETag) };
                foreach (var change in part) ops.AddRange(await OperationsAsync(change, ct));
                if (first && audit is not null) ops.AddRange(audit.Select(TableOperation.Insert));
                try
                {
                    foreach (var batch in Batches(ops)) await store.SubmitAsync(Tables.Organization, batch, ct);
                    version = stamp.Version + 1;
                    first = false;
                    break;
                }
                catch (StorageConflictException) when (attempt < MaxAttempts)
                {
                    log.LogDebug("The organisation changed concurrently; re-reading");
                }
            }
        }
        return version;
    }

    /// <summary>
    /// A change decided on the organisation as stored at the moment it is written: <paramref name="decide"/> sees the
    /// stored teams and returns the changes (at most 99, with any rows to add to the same batch, such as audit rows),
    /// or null to change nothing; a concurrent change makes it look and decide again. Returns false when it declined.
    /// </summary>
    public async Task<bool> ChangeWhenAsync(Func<List<TeamOptions>, OrgRules?, (IReadOnlyList<Change> Changes, IReadOnlyList<TableEntity> Extra)?> decide, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var stamp = await StampAsync(ct) ?? throw new InvalidOperationException("The organisation is not stored yet; it is seeded at start-up.");
            var (teams, version, rules) = await LoadAllAsync(ct);
            if (version != stamp.Version) continue; // moved between the two reads: look again
            if (decide(teams, rules) is not { } decided) return false;
            var ops = new List<TableOperation> { TableOperation.Replace(VersionEntity(stamp.Version + 1, stamp.Seeded), stamp.ETag) };
            foreach (var change in decided.Changes) ops.AddRange(await OperationsAsync(change, ct));
            ops.AddRange(decided.Extra.Select(TableOperation.Insert));
            if (ops.Count > TableRules.MaxBatchSize) throw new ArgumentException($"A decided change holds at most {TableRules.MaxBatchSize} rows; this one {ops.Count}.");
            try
            {
                await store.SubmitAsync(Tables.Organization, ops, ct);
                return true;
            }
            catch (StorageConflictException) when (attempt < MaxAttempts)
            {
                log.LogDebug("The organisation changed while a change was decided; deciding again");
            }
        }
    }

    /// <summary>One batch normally; a removed team with many members spills into more, the version moved by the first.</summary>
    private static IEnumerable<IReadOnlyList<TableOperation>> Batches(List<TableOperation> ops)
    {
        yield return ops.Take(TableRules.MaxBatchSize).ToList();
        foreach (var rest in ops.Skip(TableRules.MaxBatchSize).Chunk(TableRules.MaxBatchSize)) yield return rest;
    }

    private async Task<IEnumerable<TableOperation>> OperationsAsync(Change change, CancellationToken ct)
    {
        switch (change)
        {
            case Change.PutTeam put:
                return [TableOperation.Upsert(TeamRow(put.Team))];
            case Change.PutMember put:
                return [TableOperation.Upsert(MemberRow(put.TeamId, put.Member))];
            case Change.PutRules put:
                return [TableOperation.Upsert(RulesEntity(put.Rules))];
            case Change.RemoveMember remove:
                var row = await store.GetAsync(Tables.Organization, Partition, MemberRowKey(remove.TeamId, remove.MemberKey), ct);
                return row is null ? [] : [TableOperation.Delete(Partition, row.RowKey, row.ETag!)];
            case Change.RemoveTeam remove:
                var ops = new List<TableOperation>();
                if (await store.GetAsync(Tables.Organization, Partition, TeamRowKey(remove.TeamId), ct) is { } team)
                    ops.Add(TableOperation.Delete(Partition, team.RowKey, team.ETag!));
                await foreach (var member in store.QueryPrefixAsync(Tables.Organization, Partition, MemberPrefix(remove.TeamId), ct))
                    ops.Add(TableOperation.Delete(Partition, member.RowKey, member.ETag!));
                return ops;
            default:
                throw new ArgumentOutOfRangeException(nameof(change));
        }
    }
}
