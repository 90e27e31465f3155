namespace EmpowerBot.Conversation.Cards;

/// <summary>A card template that cannot be parsed or bound: the message names the template, the place and the expression.</summary>
public sealed class CardTemplateException : Exception
{
    public CardTemplateException(string message)
        : base(message)
    {
    }

    public CardTemplateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
