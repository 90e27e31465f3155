using System.Buffers;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace EmpowerBot.Bench;

/// <summary>
/// The ceiling a bot on this machine cannot beat: a bare Kestrel endpoint (no auth, no storage, no logging) that parses
/// the posted activity and answers expectReplies-style with one reply activity of a given size, so its bytes on the
/// wire match the bot turn it is compared with (?bytes=N asks for another size, e.g. that of a card reply).
/// </summary>
public static class CeilingEndpoint
{
    public static async Task RunAsync(int port, int replyBytes)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.MapPost("/api/messages", async (HttpRequest request) =>
        {
            var size = request.QueryString.HasValue && int.TryParse(request.Query["bytes"], out var asked) ? asked : replyBytes;
            using var activity = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            return Results.Bytes(Reply(activity.RootElement, size), "application/json");
        });
        Console.WriteLine($"ceiling=http://127.0.0.1:{port}/api/messages");
        await app.RunAsync();
    }

    /// <summary>{"activities":[reply]}: addressed back to the sender, its text padded so the whole body is <paramref name="size"/> bytes.</summary>
    private static byte[] Reply(JsonElement inbound, int size)
    {
        var empty = Write(inbound, "");
        var padding = Math.Max(0, size - empty.Length);
        return padding == 0 ? empty : Write(inbound, new string('x', padding));
    }

    private static byte[] Write(JsonElement a, string text)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("activities");
            json.WriteStartObject();
            json.WriteString("type", "message");
            Copy(json, a, "serviceUrl");
            Copy(json, a, "channelId");
            json.WritePropertyName("from");
            a.GetProperty("recipient").WriteTo(json);
            json.WritePropertyName("conversation");
            a.GetProperty("conversation").WriteTo(json);
            json.WritePropertyName("recipient");
            a.GetProperty("from").WriteTo(json);
            json.WriteString("textFormat", "markdown");
            json.WriteString("text", text);
            json.WriteString("replyToId", a.GetProperty("id").GetString());
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void Copy(Utf8JsonWriter json, JsonElement a, string name) => json.WriteString(name, a.GetProperty(name).GetString());
}
