using System.Text.Json;
using EmpowerBot.Conversation;

namespace EmpowerBot.QuietTime;

/// <summary>One event from the contact-centre or helpdesk platform, resolved to a person on the roster.</summary>
public sealed record SignalEvent(Person Person, SignalKind Kind);

/// <summary>A signals request read and checked as a whole: every event is valid and names a known person, or none is applied.</summary>
public sealed record SignalBatch(IReadOnlyList<SignalEvent>? Events, int Status, string? Error)
{
    public const int MaxIdentifierLength = 256;

    public static readonly IReadOnlyDictionary<string, SignalKind> Types = new Dictionary<string, SignalKind>(StringComparer.Ordinal)
    {
        ["interaction-handled"] = SignalKind.InteractionHandled,
        ["difficult-interaction"] = SignalKind.DifficultInteraction,
        ["shift-start"] = SignalKind.ShiftStart,
        ["shift-end"] = SignalKind.ShiftEnd,
    };

    private static readonly string TypeList = string.Join(", ", Types.Keys);

    /// <summary>
    /// {"id": "…" (optional), "events": [{"type": "interaction-handled", "email": "…" | "personKey": "…", "tenant": "…" (optional)}, …]}.
    /// Status 400 with the reason for anything malformed, 422 naming an unknown person. The id is not read: it makes two
    /// batches with the same events, signed in the same second, two different requests rather than a replay.
    /// </summary>
    public static SignalBatch Parse(string body, Roster roster, int maxEvents)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            return Bad($"The body is not JSON (line {e.LineNumber + 1}).");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("events", out var events) || events.ValueKind != JsonValueKind.Array)
                return Bad("The body must be an object with an \"events\" array.");
            if (root.TryGetProperty("id", out var id) && id.ValueKind != JsonValueKind.String)
                return Bad("\"id\" must be a string.");
            var count = events.GetArrayLength();
            if (count == 0) return Bad("\"events\" is empty.");
            if (count > maxEvents) return Bad($"At most {maxEvents} events per request; this one has {count}.");
            var list = new List<SignalEvent>(count);
            foreach (var (e, i) in events.EnumerateArray().Select((e, i) => (e, i)))
            {
                var at = $"events[{i}]";
                if (e.ValueKind != JsonValueKind.Object) return Bad($"{at} must be an object.");
                string? problem = null;
                var type = Text(e, "type", at, ref problem);
                var email = Text(e, "email", at, ref problem);
                var key = Text(e, "personKey", at, ref problem);
                var tenant = Text(e, "tenant", at, ref problem);
                if (problem is not null) return Bad(problem);
                if (type is null) return Bad($"{at}.type is required: one of {TypeList}.");
                if (!Types.TryGetValue(type, out var kind)) return Bad($"{at}.type '{TextCut.Shorten(type, 60)}' is not one of {TypeList}.");
                if ((email is null) == (key is null)) return Bad($"{at} needs exactly one of \"email\" or \"personKey\".");
                if (Find(roster, tenant, key, email) is not { } person)
                    return new SignalBatch(null, 422, $"Unknown person '{TextCut.Shorten(email ?? key!, 60)}' ({at}): not on the roster{(tenant is null ? "" : $" of tenant '{TextCut.Shorten(tenant, 60)}'")}. Nothing was applied.");
                list.Add(new SignalEvent(person, kind));
            }
            return new SignalBatch(list, 200, null);
        }
    }

    /// <summary>
    /// A roster member by person key or e-mail. Without a tenant in the event, the team's own tenant is used, else
    /// Organization:DefaultTenant: send "tenant" when the people chat from a tenant with another id.
    /// </summary>
    private static Person? Find(Roster roster, string? tenant, string? key, string? email)
    {
        foreach (var team in roster.Teams.Where(t => tenant is null || t.Tenant.Length == 0 || string.Equals(t.Tenant, tenant, StringComparison.OrdinalIgnoreCase)))
        {
            var member = team.Members.FirstOrDefault(m => m.PersonKey.Length > 0 && (key is not null
                ? string.Equals(m.PersonKey, key, StringComparison.OrdinalIgnoreCase)
                : string.Equals(m.Email, email, StringComparison.OrdinalIgnoreCase)));
            if (member is null) continue;
            var tenantId = tenant ?? (team.Tenant.Length > 0 ? team.Tenant : roster.DefaultTenant);
            return roster.Resolve(tenantId, member.PersonKey, member.Name);
        }
        return null;
    }

    private static string? Text(JsonElement e, string name, string at, ref string? problem)
    {
        if (!e.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 and <= MaxIdentifierLength } text)
        {
            problem ??= $"{at}.{name} must be a string of 1 to {MaxIdentifierLength} characters.";
            return null;
        }
        return text;
    }

    private static SignalBatch Bad(string reason) => new(null, 400, reason);
}
