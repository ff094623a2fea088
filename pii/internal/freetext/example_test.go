package freetext_test

import (
	"fmt"

	"github.com/1cb-kz/compliance/pii/internal/freetext"
)

func ExampleFind() {
	s := "Клиент Серикова Алия Нурлановна, адрес: г. Алматы, ул. Абая, д. 10, кв. 5."
	for _, sp := range freetext.Find(nil, s) {
		fmt.Printf("%d %q\n", sp.Kind, s[sp.Start:sp.End])
	}
	// Output:
	// 1 "Серикова Алия Нурлановна"
	// 2 "г. Алматы, ул. Абая, д. 10, кв. 5"
}

func ExampleMask() {
	fmt.Println(freetext.Mask(freetext.Name, "Серикова Алия Нурлановна"))
	fmt.Println(freetext.Mask(freetext.Name, "A. Serikova"))
	fmt.Println(freetext.Mask(freetext.Address, "г. Алматы, ул. Абая, д. 10, кв. 5"))
	fmt.Println(freetext.Mask(freetext.Address, "Алматы қ., Абай к-сі, 10 үй"))
	// Output:
	// С*** А*** Н***
	// A. S***
	// г. Алматы, ул. ***, д. ***, кв. ***
	// Алматы қ., *** к-сі, *** үй
}
