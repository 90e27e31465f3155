using System.Text.Json;

namespace EmpowerBot.Outbox;

/// <summary>
/// One unit of proactive work: a card to post, a reminder to send, a webhook to call. <paramref name="Id"/> is the
/// caller's stable id (it becomes the idempotency key handlers pass on), <paramref name="Kind"/> picks the
/// <see cref="IOutboxHandler"/>, <paramref name="Payload"/> is JSON the handler understands, and nothing is
/// delivered before <paramref name="Due"/>.
/// </summary>
public sealed record OutboxMessage(string Id, string Kind, string Payload, DateTimeOffset Due)
{
    /// <summary>Azure Table keys are limited to 1 KiB; ids stay well below so the row key (due + id) fits.</summary>
    public const int MaxIdLength = 200;

    /// <summary>Azure Table string properties hold at most 64 KiB of UTF-16, i.e. 32 768 characters.</summary>
    public const int MaxPayloadLength = 32_768;

    /// <summary>camelCase, like every JSON the bot writes, so payloads read the same in logs of other tools and in tests.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>A message whose payload is <paramref name="payload"/> serialised with camelCase names.</summary>
    public static OutboxMessage Create<T>(string id, string kind, T payload, DateTimeOffset due) =>
        new(id, kind, JsonSerializer.Serialize(payload, JsonOptions), due);

    /// <summary>The payload read back as <typeparamref name="T"/>; throws <see cref="JsonException"/> when it is not one.</summary>
    public T ReadPayload<T>() =>
        JsonSerializer.Deserialize<T>(Payload, JsonOptions) ?? throw new JsonException($"The payload of outbox message '{Id}' is null.");

    /// <summary>Throws <see cref="ArgumentException"/> for a message the table cannot hold or the dispatcher cannot route.</summary>
    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Id) || Id.Length > MaxIdLength)
            throw new ArgumentException($"An outbox message id has 1 to {MaxIdLength} characters; got '{Id}'.", nameof(Id));
        foreach (var c in Id)
        {
            // The characters Azure Table Storage refuses in keys (the id is part of the row key).
            if (c is '/' or '\\' or '#' or '?' || char.IsControl(c) || char.IsSurrogate(c))
                throw new ArgumentException($"Outbox message id '{Id}' may not contain '/', '\\', '#', '?', control or surrogate characters.", nameof(Id));
        }
        if (string.IsNullOrWhiteSpace(Kind))
            throw new ArgumentException($"Outbox message '{Id}' has no kind.", nameof(Kind));
        ArgumentNullException.ThrowIfNull(Payload);
        if (Payload.Length > MaxPayloadLength)
            throw new ArgumentException($"The payload of outbox message '{Id}' has {Payload.Length} characters; at most {MaxPayloadLength} fit in a table row.", nameof(Payload));
    }
}
