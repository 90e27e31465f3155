namespace EmpowerBot.Hosting;

/// <summary>Reads a request body up to a size limit, for the endpoints that must see the raw bytes (to verify a signature).</summary>
public static class LimitedBody
{
    /// <summary>
    /// The body, or null when it is larger than <paramref name="maxBytes"/> (announced or not: chunked bodies have no
    /// Content-Length). An announced length sizes the buffer, so the usual request costs one array of its own size.
    /// </summary>
    public static async Task<ReadOnlyMemory<byte>?> ReadAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        if (request.ContentLength > maxBytes) return null;
        // One byte more than expected, so the read that finds the end of the body has room and needs no second array.
        var buffer = new byte[(int)Math.Min(request.ContentLength ?? 4 * 1024, maxBytes) + 1];
        var length = 0;
        int read;
        while ((read = await request.Body.ReadAsync(buffer.AsMemory(length), ct)) > 0)
        {
            length += read;
            if (length > maxBytes) return null;
            if (length == buffer.Length)
            {
                Array.Resize(ref buffer, (int)Math.Min(2L * buffer.Length, maxBytes + 1L));
            }
        }
        return buffer.AsMemory(0, length);
    }
}
