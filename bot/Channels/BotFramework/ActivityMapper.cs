using System.Text.Json;
using EmpowerBot.Conversation;

namespace EmpowerBot.Channels.BotFramework;

/// <summary>Turns an inbound Activity into a channel-neutral <see cref="Turn"/>, or null for activities the bot ignores.</summary>
public sealed class ActivityMapper(Roster roster)
{
    public Turn? ToTurn(Activity a, DateTimeOffset receivedAt)
    {
        var kind = KindOf(a);
        if (kind is null) return null;
        var tenant = a.TenantId ?? roster.DefaultTenant;
        var from = a.From!;
        var reference = new ConversationReference(
            a.ChannelId!,
            a.ServiceUrl!,
            a.Conversation!.Id!,
            a.Conversation.ConversationType,
            a.TenantId,
            from.Id!,
            from.Name,
            from.AadObjectId,
            a.Recipient?.Id ?? "",
            a.Recipient?.Name);
        var turn = new Turn(kind.Value, tenant, PersonKey(a), from.Name, reference, a.Id ?? "", receivedAt, TimeZoneId: ClientTimeZone(a));
        return kind switch
        {
            TurnKind.CardAction => turn with { Action = ReadExecute(a.Value) },
            TurnKind.Message => turn with
            {
                // An Action.Submit button arrives as a message whose value carries {"command": …} and the card's inputs.
                Text = string.IsNullOrWhiteSpace(a.Text) ? SubmittedCommand.From(a.Value) : a.Text,
                FormData = a.Value,
            },
            _ => turn,
        };
    }

    /// <summary>Teams: "aad:{Entra object id}", stable across chats; otherwise "{channel}:{user id}".</summary>
    public static string PersonKey(Activity a) =>
        !string.IsNullOrEmpty(a.From?.AadObjectId) ? "aad:" + a.From.AadObjectId : $"{a.ChannelId}:{a.From?.Id}";

    /// <summary>The zone Teams reports for the user's client: entities [{"type": "clientInfo", "timezone": "Europe/Berlin"}].</summary>
    public static string? ClientTimeZone(Activity a) => a.Entities?
        .Where(e => e.ValueKind == JsonValueKind.Object
            && e.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "clientInfo")
        .Select(e => e.TryGetProperty("timezone", out var zone) && zone.ValueKind == JsonValueKind.String ? zone.GetString() : null)
        .FirstOrDefault(zone => zone is not null);

    private static TurnKind? KindOf(Activity a) => a.Type switch
    {
        ActivityTypes.Message => TurnKind.Message,
        ActivityTypes.InstallationUpdate when a.Action is null || a.Action.StartsWith("add", StringComparison.OrdinalIgnoreCase) => TurnKind.Installed,
        // Teams sends installationUpdate as well; welcome once, on that. Other channels only send conversationUpdate.
        ActivityTypes.ConversationUpdate when a.ChannelId != "msteams" && BotWasAdded(a) => TurnKind.Installed,
        ActivityTypes.Invoke when a.Name == "adaptiveCard/action" => TurnKind.CardAction,
        _ => null,
    };

    private static bool BotWasAdded(Activity a) =>
        a.MembersAdded?.Any(m => m.Id is not null && m.Id == a.Recipient?.Id) == true;

    /// <summary>Reads Action.Execute's {"action": {"verb": …, "data": {…}}}; a missing verb becomes "" (answered as unknown).</summary>
    private static CardAction ReadExecute(JsonElement? value)
    {
        if (value is { ValueKind: JsonValueKind.Object } v && v.TryGetProperty("action", out var action) && action.ValueKind == JsonValueKind.Object)
        {
            var verb = action.TryGetProperty("verb", out var vb) && vb.ValueKind == JsonValueKind.String ? vb.GetString() ?? "" : "";
            var data = action.TryGetProperty("data", out var d) ? d.Clone() : default;
            return new CardAction(verb, data);
        }
        return new CardAction("", default);
    }
}
