using System.Collections.Concurrent;
using EmpowerBot.Storage;

namespace EmpowerBot.Conversation;

/// <summary>
/// Who is talking, and how to reach them later. Every turn resolves the person against the roster and keeps
/// their conversation reference in the people table, so proactive messages (approvals, updates) can reach them.
/// The reference is written only when it changed, so an ordinary turn costs no write.
/// </summary>
public sealed class PeopleDirectory(ITableStore store, Roster roster, ILogger<PeopleDirectory> log)
{
    private const int MaxAttempts = 5;
    private const string ZoneProperty = "timeZone";
    private readonly ConcurrentDictionary<(string Tenant, string Person), Seen> saved = new();

    /// <summary>What the people row holds about how to reach someone: their conversation and the zone their client reported.</summary>
    private sealed record Seen(ConversationReference? Reference, string? ZoneId);

    public async Task<Person> IdentifyAsync(Turn turn, CancellationToken ct)
    {
        var person = roster.Resolve(turn.TenantId, turn.PersonKey, turn.PersonName, turn.PersonEmail);
        // A zone the client reports is kept, so proactive messages use it too; a turn without one (or with an id this
        // machine does not know) reads in the last zone seen, else the team's.
        var reported = ZonedTime.FromClient(turn.TimeZoneId);
        var seen = await RememberAsync(turn.TenantId, turn.PersonKey, turn.Conversation, reported?.Id, ct);
        return person with { OwnZone = reported ?? ZonedTime.FromClient(seen.ZoneId) };
    }

    /// <summary>The last conversation this person had with the bot, or null when they never wrote.</summary>
    public async Task<ConversationReference?> FindReferenceAsync(string tenantId, string personKey, CancellationToken ct) =>
        (await FindAsync(tenantId, personKey, ct))?.Reference;

    /// <summary>
    /// The zone a person reads times in when they are not the one in this turn (a proactive message, a card about
    /// someone else): the one their client last reported, else <paramref name="fallback"/> (usually their team's).
    /// </summary>
    public async Task<TimeZoneInfo> ReadingZoneAsync(string tenantId, string personKey, TimeZoneInfo fallback, CancellationToken ct) =>
        ZonedTime.FromClient((await FindAsync(tenantId, personKey, ct))?.ZoneId) ?? fallback;

    private async Task<Seen?> FindAsync(string tenantId, string personKey, CancellationToken ct)
    {
        if (saved.TryGetValue((tenantId, personKey), out var cached)) return cached;
        var row = await store.GetAsync(Tables.People, tenantId, personKey, ct);
        return row is null ? null : Read(row);
    }

    /// <summary>Keeps the person's latest conversation reference (written only when it changed).</summary>
    public Task RememberAsync(string tenantId, string personKey, ConversationReference reference, CancellationToken ct) =>
        RememberAsync(tenantId, personKey, reference, null, ct);

    /// <summary>Keeps the latest reference and, when given, zone; written only when either changed. Returns what is kept.</summary>
    private async Task<Seen> RememberAsync(string tenantId, string personKey, ConversationReference reference, string? zoneId, CancellationToken ct)
    {
        if (saved.TryGetValue((tenantId, personKey), out var known) && Holds(known, reference, zoneId)) return known;
        Seen kept;
        for (var attempt = 1; ; attempt++)
        {
            var row = await store.GetAsync(Tables.People, tenantId, personKey, ct);
            var stored = row is null ? null : Read(row);
            if (stored is not null && Holds(stored, reference, zoneId))
            {
                kept = stored;
                break;
            }
            // Read-modify-write keeps the other properties of the person's row (preferences) intact.
            var properties = row is null ? new Dictionary<string, object?>() : new Dictionary<string, object?>(row.Properties);
            WriteReference(properties, reference);
            if (zoneId is not null) properties[ZoneProperty] = zoneId;
            var entity = new TableEntity(tenantId, personKey, properties);
            kept = new Seen(reference, zoneId ?? stored?.ZoneId);
            try
            {
                await store.SubmitAsync(Tables.People, [row is null ? TableOperation.Insert(entity) : TableOperation.Replace(entity, row.ETag!)], ct);
                break;
            }
            catch (StorageConflictException) when (attempt < MaxAttempts)
            {
                log.LogDebug("Conversation reference of {Person} changed concurrently; retrying", personKey);
            }
        }
        saved[(tenantId, personKey)] = kept;
        return kept;
    }

    private static bool Holds(Seen seen, ConversationReference reference, string? zoneId) =>
        seen.Reference == reference && (zoneId is null || zoneId == seen.ZoneId);

    private static Seen Read(TableEntity row) => new(ReadReference(row), row.GetString(ZoneProperty));

    /// <summary>Any conversation the bot has in this tenant on this channel: where to open new ones (service URL, bot id).</summary>
    public async Task<ConversationReference?> AnyReferenceAsync(string tenantId, string channelId, CancellationToken ct)
    {
        await foreach (var row in store.QueryAsync(Tables.People, tenantId, null, null, ct))
        {
            if (ReadReference(row) is { } reference && reference.ChannelId == channelId) return reference;
        }
        return null;
    }

    private static void WriteReference(Dictionary<string, object?> p, ConversationReference r)
    {
        Set(p, "channelId", r.ChannelId);
        Set(p, "serviceUrl", r.ServiceUrl);
        Set(p, "conversationId", r.ConversationId);
        Set(p, "conversationType", r.ConversationType);
        Set(p, "tenantId", r.TenantId);
        Set(p, "userId", r.UserId);
        Set(p, "userName", r.UserName);
        Set(p, "aadObjectId", r.AadObjectId);
        Set(p, "botId", r.BotId);
        Set(p, "botName", r.BotName);
    }

    // Tables store no nulls: an absent value is an absent property.
    private static void Set(Dictionary<string, object?> p, string name, string? value)
    {
        if (value is null) p.Remove(name);
        else p[name] = value;
    }

    private static ConversationReference? ReadReference(TableEntity row)
    {
        var channelId = row.GetString("channelId");
        var serviceUrl = row.GetString("serviceUrl");
        var conversationId = row.GetString("conversationId");
        var userId = row.GetString("userId");
        var botId = row.GetString("botId");
        if (channelId is null || serviceUrl is null || conversationId is null || userId is null || botId is null) return null;
        return new ConversationReference(channelId, serviceUrl, conversationId, row.GetString("conversationType"),
            row.GetString("tenantId"), userId, row.GetString("userName"), row.GetString("aadObjectId"), botId, row.GetString("botName"));
    }
}
