using System.Globalization;
using System.Text.Json;
using EmpowerBot.Budget;
using EmpowerBot.Conversation;
using EmpowerBot.Insights;

namespace EmpowerBot.QuietTime;

/// <summary>One event from the contact-centre or helpdesk platform, resolved to a person on the roster.</summary>
public sealed record SignalEvent(Person Person, SignalKind Kind);

/// <summary>A signals request read and checked as a whole: every event is valid and names a known person, or none is applied.</summary>
/// <param name="Feedback">The batch's customer-feedback events, apart from the quiet-time ones.</param>
public sealed record SignalBatch(IReadOnlyList<SignalEvent>? Events, int Status, string? Error, IReadOnlyList<FeedbackSignal>? Feedback = null)
{
    public const string CustomerFeedback = "customer-feedback";

    /// <summary>How far ahead of the bot's clock a rating's "at" may be (clocks differ a little).</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    public const int MaxIdentifierLength = 256;

    public static readonly IReadOnlyDictionary<string, SignalKind> Types = new Dictionary<string, SignalKind>(StringComparer.Ordinal)
    {
        ["interaction-handled"] = SignalKind.InteractionHandled,
        ["difficult-interaction"] = SignalKind.DifficultInteraction,
        ["shift-start"] = SignalKind.ShiftStart,
        ["shift-end"] = SignalKind.ShiftEnd,
    };

    private static readonly string TypeList = string.Join(", ", Types.Keys.Append(CustomerFeedback));

    /// <summary>
    /// {"id": "…" (optional), "events": [{"type": "interaction-handled", "email": "…" | "personKey": "…", "tenant": "…" (optional)}, …]}.
    /// A "customer-feedback" event names the customer instead: {"type": "customer-feedback", "customer": "ACME-1042",
    /// "score": 1–5, "comment": "…" (optional), "email" | "personKey" of the rep who handled them (optional), "id" of the
    /// survey response and "at" (ISO 8601) when the customer answered (both optional, so a resend is recorded once)}.
    /// Status 400 with the reason for anything malformed, 422 naming an unknown person. The id is not read: it makes two
    /// batches with the same events, signed in the same second, two different requests rather than a replay.
    /// </summary>
    public static SignalBatch Parse(string body, Roster roster, int maxEvents, DateTimeOffset? now = null)
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
            var feedback = new List<FeedbackSignal>();
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
                if (type == CustomerFeedback)
                {
                    if (email is not null && key is not null) return Bad($"{at} names the rep twice: send \"email\" or \"personKey\", not both.");
                    Person? rep = null;
                    if ((email ?? key) is { } who && (rep = Find(roster, tenant, key, email)) is null)
                        return new SignalBatch(null, 422, $"Unknown rep '{TextCut.Shorten(who, 60)}' ({at}): not on the roster. Leave the rep out to keep the rating without one. Nothing was applied.");
                    if (ReadFeedback(e, at, tenant ?? rep?.TenantId ?? roster.DefaultTenant, rep, now ?? DateTimeOffset.UtcNow, out var rating) is { } wrong) return Bad(wrong);
                    feedback.Add(rating!);
                    continue;
                }
                if (!Types.TryGetValue(type, out var kind)) return Bad($"{at}.type '{TextCut.Shorten(type, 60)}' is not one of {TypeList}.");
                if ((email is null) == (key is null)) return Bad($"{at} needs exactly one of \"email\" or \"personKey\".");
                if (Find(roster, tenant, key, email) is not { } person)
                    return new SignalBatch(null, 422, $"Unknown person '{TextCut.Shorten(email ?? key!, 60)}' ({at}): not on the roster{(tenant is null ? "" : $" of tenant '{TextCut.Shorten(tenant, 60)}'")}. Nothing was applied.");
                list.Add(new SignalEvent(person, kind));
            }
            return new SignalBatch(list, 200, null, feedback);
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

    /// <summary>The rating of a customer-feedback event, or the reason it is not one.</summary>
    private static string? ReadFeedback(JsonElement e, string at, string tenantId, Person? rep, DateTimeOffset now, out FeedbackSignal? rating)
    {
        rating = null;
        string? problem = null;
        var customerText = Text(e, "customer", at, ref problem);
        var id = Text(e, "id", at, ref problem);
        var atText = Text(e, "at", at, ref problem);
        if (problem is not null) return problem;
        if (customerText is null) return $"{at}.customer is required for {CustomerFeedback}: the customer's reference, like \"ACME-1042\".";
        if (!CustomerRef.TryNormalize(customerText, out var customer, out var refused)) return $"{at}.customer: {refused}";
        if (!e.TryGetProperty("score", out var s) || s.ValueKind != JsonValueKind.Number || !s.TryGetInt32(out var score)
            || score is < CustomerRating.MinScore or > CustomerRating.MaxScore)
            return $"{at}.score must be a whole number from {CustomerRating.MinScore} to {CustomerRating.MaxScore}.";
        string? comment = null;
        if (e.TryGetProperty("comment", out var c) && c.ValueKind != JsonValueKind.Null)
        {
            if (c.ValueKind != JsonValueKind.String) return $"{at}.comment must be a string.";
            if (InvisibleText.Remove(c.GetString()!) is not { } visible) return $"{at}.comment contains a broken character.";
            comment = visible.Trim();
            if (comment.Length > FeedbackIntake.MaxComment) return $"{at}.comment is {comment.Length:N0} characters; at most {FeedbackIntake.MaxComment:N0}.";
            if (comment.Length == 0) comment = null;
        }
        DateTimeOffset? answered = null;
        if (atText is not null)
        {
            if (!DateTimeOffset.TryParse(atText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                return $"{at}.at must be an ISO 8601 time, like \"2026-12-03T14:05:00Z\".";
            if (parsed > now + MaxClockSkew) return $"{at}.at is in the future.";
            answered = parsed.ToUniversalTime();
        }
        rating = new FeedbackSignal(tenantId, customer, score, comment, rep, id, answered);
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
