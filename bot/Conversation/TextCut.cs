namespace EmpowerBot.Conversation;

/// <summary>Cuts what someone typed to a length that fits the sentence quoting it back ("I don't know the action '…'").</summary>
public static class TextCut
{
    public static string Shorten(string text, int maxLength) =>
        text.Length <= maxLength ? text : text[..maxLength] + "…";
}
