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
    string? PersonEmail = null)
{
    /// <summary>The first name, for friendly replies; falls back to the full name or "there".</summary>
    public string FirstName => string.IsNullOrWhiteSpace(PersonName) ? "there" : PersonName.Split(' ', 2)[0];
}
