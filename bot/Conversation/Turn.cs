using System.Text.Json;

namespace EmpowerBot.Conversation;

public enum TurnKind
{
    /// <summary>The person wrote to the bot (or pressed a card button that submits a command).</summary>
    Message,

    /// <summary>The bot was added to a conversation or the app was installed.</summary>
    Installed,

    /// <summary>A card's Action.Execute: the channel waits for a card or message in the response.</summary>
    CardAction,
}

/// <summary>A card button press: the verb and the data the card carried, plus the card's inputs.</summary>
public sealed record CardAction(string Verb, JsonElement Data);

/// <summary>
/// One channel-neutral turn: who (tenant, person), where (conversation reference) and what
/// (text or card action). Channel adapters build it; features never see channel JSON.
/// </summary>
/// <param name="PersonEmail">The person's e-mail when the channel knows it (Slack's users.info), so a roster entry that names
/// only an e-mail finds them.</param>
/// <param name="TimeZoneId">The zone the person's client reports (Teams' clientInfo entity, Slack's profile tz), unchecked.</param>
public sealed record Turn(
    TurnKind Kind,
    string TenantId,
    string PersonKey,
    string? PersonName,
    ConversationReference Conversation,
    string ActivityId,
    DateTimeOffset ReceivedAt,
    string? Text = null,
    CardAction? Action = null,
    JsonElement? FormData = null,
    string? PersonEmail = null,
    string? TimeZoneId = null)
{
    /// <summary>The first name, for friendly replies; falls back to the full name or "there".</summary>
    public string FirstName => string.IsNullOrWhiteSpace(PersonName) ? "there" : PersonName.Split(' ', 2)[0];

    /// <summary>The key a card that writes was sent with (its data's "op"), or null for typed text and cards that only read.</summary>
    public string? CardKey => CardKeys.From(Action?.Data) ?? CardKeys.From(FormData);

    /// <summary>
    /// What makes this turn's write happen once. A card's own key comes first: a second click, a second device and a
    /// redelivery all carry it, while each click has its own activity id. Otherwise the channel's activity id, which
    /// only a redelivery repeats; null when the channel gave none.
    /// </summary>
    public string? IdempotencyKey => CardKey is { } op
        ? "card:" + op
        : string.IsNullOrEmpty(ActivityId) ? null : $"{Conversation.ChannelId}:{ActivityId}";
}

/// <summary>Mints and reads the key a card that writes carries in its action data as "op".</summary>
public static class CardKeys
{
    public const string Property = "op";

    private const int MaxLength = 64;

    /// <summary>A fresh key for a card about to be sent.</summary>
    public static string Mint() => Guid.NewGuid().ToString("N");

    /// <summary>The card's key, or null when there is none or it is not one we could have minted (so it is ignored, not trusted).</summary>
    public static string? From(JsonElement? data) =>
        data is { ValueKind: JsonValueKind.Object } d && d.TryGetProperty(Property, out var op) && op.ValueKind == JsonValueKind.String
        && op.GetString() is { Length: > 0 and <= MaxLength } key && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            ? key
            : null;
}
