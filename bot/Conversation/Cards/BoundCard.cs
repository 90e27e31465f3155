using System.Text.Json;
using System.Text.Json.Serialization;

namespace EmpowerBot.Conversation.Cards;

/// <summary>
/// A card bound to its data, held as the UTF-8 JSON the binder wrote. Serialised as that JSON, as it is, wherever it
/// sits in an outgoing payload (an activity's attachment, an invoke response), so a card is written once per reply.
/// </summary>
[JsonConverter(typeof(BoundCardConverter))]
public sealed class BoundCard(byte[] utf8Json)
{
    public ReadOnlyMemory<byte> Utf8Json { get; } = utf8Json;

    public override string ToString() => System.Text.Encoding.UTF8.GetString(Utf8Json.Span);

    private sealed class BoundCardConverter : JsonConverter<BoundCard>
    {
        // Cards are bound here and sent; one read back (an inbound attachment) is a JsonElement, never a BoundCard.
        public override BoundCard Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("A bound card is written, never read.");

        public override void Write(Utf8JsonWriter writer, BoundCard value, JsonSerializerOptions options) =>
            writer.WriteRawValue(value.Utf8Json.Span, skipInputValidation: true);
    }
}
