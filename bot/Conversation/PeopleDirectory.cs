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
    private readonly ConcurrentDictionary<(string Tenant, string Person), ConversationReference> saved = new();

    public async Task<Person> IdentifyAsync(Turn turn, CancellationToken ct)
    {
        var person = roster.Resolve(turn.TenantId, turn.PersonKey, turn.PersonName, turn.PersonEmail);
        await RememberAsync(turn.TenantId, turn.PersonKey, turn.Conversation, ct);
        return person;
    }

    /// <summary>The last conversation this person had with the bot, or null when they never wrote.</summary>
    public async Task<ConversationReference?> FindReferenceAsync(string tenantId, string personKey, CancellationToken ct)
    {
        if (saved.TryGetValue((tenantId, personKey), out var cached)) return cached;
        var row = await store.GetAsync(Tables.People, tenantId, personKey, ct);
        return row is null ? null : ReadReference(row);
    }

    /// <summary>Keeps the person's latest conversation reference (written only when it changed).</summary>
    public async Task RememberAsync(string tenantId, string personKey, ConversationReference reference, CancellationToken ct)
    {
        if (saved.TryGetValue((tenantId, personKey), out var known) && known == reference) return;
        for (var attempt = 1; ; attempt++)
        {
            var row = await store.GetAsync(Tables.People, tenantId, personKey, ct);
            if (row is not null && ReadReference(row) == reference) break;
            // Read-modify-write keeps the other properties of the person's row (preferences) intact.
            var properties = row is null ? new Dictionary<string, object?>() : new Dictionary<string, object?>(row.Properties);
            WriteReference(properties, reference);
            var entity = new TableEntity(tenantId, personKey, properties);
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
        saved[(tenantId, personKey)] = reference;
    }

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
