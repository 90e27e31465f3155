using Microsoft.Net.Http.Headers;

namespace EmpowerBot.Hosting;

/// <summary>
/// Content-type checks for inbound endpoints: the exact media type, parameters (charset…) allowed. A prefix test
/// would let "application/jsonx" or "application/json-patch+json" through as if they were JSON.
/// </summary>
public static class MediaTypes
{
    public const string Json = "application/json";

    public static bool IsJson(string? contentType) => Is(contentType, Json);

    public static bool Is(string? contentType, string mediaType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && parsed.MediaType.Equals(mediaType, StringComparison.OrdinalIgnoreCase);
}
