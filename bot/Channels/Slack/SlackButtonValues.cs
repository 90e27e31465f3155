using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EmpowerBot.Channels.Slack;

/// <summary>
/// Button values Slack would refuse (over 2,000 characters: a long obstacle to log, a large form to open) are kept here
/// and the button carries only {"kept": id}; the click brings the value back. Kept in memory for an hour, like the
/// trigger-less forms they mostly are: after a restart such a button says it has expired and changes nothing.
/// </summary>
public sealed class SlackButtonValues(TimeProvider clock)
{
    public const int MaxValue = 2000;
    public const string KeptProperty = "kept";
    public const string Expired = "This button has expired. Ask again and I'll bring a fresh one.";
    private static readonly TimeSpan Kept = TimeSpan.FromHours(1);
    private readonly ConcurrentDictionary<string, (string Value, DateTimeOffset At)> values = new(StringComparer.Ordinal);

    /// <summary>Every button value of a bound surface, made to fit.</summary>
    public void FitAll(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["type"] is JsonValue type && type.GetValueKind() == JsonValueKind.String && type.GetValue<string>() == "button"
                    && obj["value"] is JsonValue value && value.GetValueKind() == JsonValueKind.String)
                {
                    obj["value"] = Fit(value.GetValue<string>());
                }
                foreach (var (_, child) in obj.ToList()) FitAll(child);
                break;
            case JsonArray array:
                foreach (var item in array) FitAll(item);
                break;
        }
    }

    /// <summary>The value itself when Slack takes it, else {"kept": id}.</summary>
    public string Fit(string value)
    {
        if (value.Length <= MaxValue) return value;
        var now = clock.GetUtcNow();
        foreach (var (key, kept) in values) if (now - kept.At > Kept) values.TryRemove(key, out _);
        var id = Guid.NewGuid().ToString("N");
        values[id] = (value, now);
        return new JsonObject { [KeptProperty] = id }.ToJsonString();
    }

    public static bool IsKept(JsonElement data) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(KeptProperty, out var id) && id.ValueKind == JsonValueKind.String;

    /// <summary>The kept value with the clicked surface's inputs (data's other properties) added; null when it is gone.</summary>
    public JsonElement? Resolve(JsonElement data)
    {
        var id = data.GetProperty(KeptProperty).GetString()!;
        if (!values.TryGetValue(id, out var kept) || clock.GetUtcNow() - kept.At > Kept) return null;
        if (JsonNode.Parse(kept.Value) is not JsonObject full) return null;
        foreach (var input in data.EnumerateObject())
        {
            if (input.Name != KeptProperty && !full.ContainsKey(input.Name)) full[input.Name] = JsonNode.Parse(input.Value.GetRawText());
        }
        return JsonSerializer.SerializeToElement(full);
    }
}
