using System.Globalization;
using System.Text.Json;

namespace EmpowerBot.Obstacles;

/// <summary>
/// Reads values from a card's data or inputs. Clients send them as they like (a number as "12" or 12, a toggle as
/// "true" or true), and anyone can forge them, so every read tolerates the wrong shape and answers null.
/// </summary>
public static class CardData
{
    public static string? String(JsonElement data, string name) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static bool Bool(JsonElement data, string name) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var v)
        && (v.ValueKind == JsonValueKind.True || (v.ValueKind == JsonValueKind.String && string.Equals(v.GetString(), "true", StringComparison.OrdinalIgnoreCase)));

    public static int? Int(JsonElement data, string name)
    {
        if (data.ValueKind != JsonValueKind.Object || !data.TryGetProperty(name, out var v)) return null;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n)) return n > 0 ? n : null;
        return v.ValueKind == JsonValueKind.String && int.TryParse(v.GetString()?.TrimStart('#'), NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s > 0 ? s : null;
    }
}
